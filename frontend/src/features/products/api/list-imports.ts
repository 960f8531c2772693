import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { isFinished } from "../components/import-summary";

export const importsQueryOptions = (limit = 20) =>
  queryOptions({
    queryKey: ["imports", "list", { limit }],
    queryFn: () => unwrap(api.GET("/api/imports", { params: { query: { limit } } })),
    // keep the list moving while one of them is still running
    refetchInterval: (query) => (query.state.data?.some((item) => !isFinished(item.status)) ? 2000 : false),
  });

export const useImports = (limit = 20) => useQuery(importsQueryOptions(limit));
