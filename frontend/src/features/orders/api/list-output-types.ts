import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type OutputType = Schemas["OutputTypeRead"];

/** GET /api/output-types: what the tenant can order (active ones). */
export const outputTypesQueryOptions = () =>
  queryOptions({
    queryKey: ["output-types"],
    queryFn: () => unwrap(api.GET("/api/output-types")),
    staleTime: 60_000,
  });

export const useOutputTypes = () => useQuery(outputTypesQueryOptions());
