import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { isFinished } from "../components/import-summary";

/** Poll every second until the import is completed or failed. */
export const POLL_MS = 1000;

export const importQueryOptions = (importId: string) =>
  queryOptions({
    queryKey: ["imports", importId],
    queryFn: () => unwrap(api.GET("/api/imports/{import_id}", { params: { path: { import_id: importId } } })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isFinished(status) ? false : POLL_MS;
    },
  });

export const useImport = (importId: string) => useQuery(importQueryOptions(importId));
