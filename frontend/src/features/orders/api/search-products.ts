import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type Product = Schemas["ProductRead"];

/** GET /api/products?q=: products whose PIM id or name starts with the words of `q`. */
export const productSearchQueryOptions = (q: string, pageSize = 50) =>
  queryOptions({
    queryKey: ["orders", "product-search", q, pageSize],
    queryFn: () =>
      unwrap(api.GET("/api/products", { params: { query: { q: q.trim() || undefined, page_size: pageSize } } })),
    placeholderData: keepPreviousData,
  });

export const useProductSearch = (q: string) => useQuery(productSearchQueryOptions(q));
