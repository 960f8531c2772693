import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cursorPages, PAGE_SIZE } from "@/lib/paging";

export type Product = Schemas["ProductRead"];

/**
 * GET /api/products, a page at a time (`q`: words prefixing the PIM id or the name, "6204" finds
 * "6204-2RSR"); a new search starts again at its first page.
 */
export const productsQueryOptions = (q: string | undefined) => ({
  ...cursorPages(["products", "list", { q: q ?? "" }], (cursor) =>
    unwrap(api.GET("/api/products", { params: { query: { q, cursor, page_size: PAGE_SIZE } } })),
  ),
  placeholderData: keepPreviousData,
});

export const useProducts = (q: string | undefined) => useInfiniteQuery(productsQueryOptions(q));
