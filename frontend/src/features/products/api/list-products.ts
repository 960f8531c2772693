import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type Product = Schemas["ProductRead"];

export interface ProductQuery {
  /** Words prefixing the PIM id or the name ("6204" finds "6204-2RSR"). */
  q?: string;
  limit: number;
  offset: number;
}

export const productsQueryOptions = ({ q, limit, offset }: ProductQuery) =>
  queryOptions({
    queryKey: ["products", "list", { q: q ?? "", limit, offset }],
    queryFn: () => unwrap(api.GET("/api/products", { params: { query: { q, limit, offset } } })),
    placeholderData: keepPreviousData,
  });

export const useProducts = (query: ProductQuery) => useQuery(productsQueryOptions(query));
