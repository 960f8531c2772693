import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cursorPages } from "@/lib/paging";

export type FeedEntry = Schemas["FeedEntry"];

/** How many of a product's history entries a page holds (older ones load on request). */
export const HISTORY_SHOWN = 20;

export const productHistoryQueryOptions = (productId: string) =>
  cursorPages(["products", "history", productId], (cursor) =>
    unwrap(
      api.GET("/api/activity", {
        params: { query: { target_type: "product", target_id: productId, cursor, page_size: HISTORY_SHOWN } },
      }),
    ),
  );

/** The product's history (the activity feed about it, newest first): project managers and above. */
export const useProductHistory = (productId: string, enabled = true) =>
  useInfiniteQuery({ ...productHistoryQueryOptions(productId), enabled });
