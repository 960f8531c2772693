import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type OrderTerms = Schemas["OrderTerms"];

/** GET /api/orders/terms: the tenant's order size limit and the currency prices are in. */
export const orderTermsQueryOptions = () =>
  queryOptions({
    queryKey: ["orders", "terms"],
    queryFn: () => unwrap(api.GET("/api/orders/terms")),
    staleTime: 60_000,
  });

export const useOrderTerms = () => useQuery(orderTermsQueryOptions());
