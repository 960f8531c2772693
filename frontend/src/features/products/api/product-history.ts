import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type FeedEntry = Schemas["FeedEntry"];

/** How many of a product's latest history entries its page shows. */
export const HISTORY_SHOWN = 20;

export const productHistoryQueryOptions = (productId: string) =>
  queryOptions({
    queryKey: ["products", "history", productId],
    queryFn: () =>
      unwrap(
        api.GET("/api/activity", {
          params: { query: { target_type: "product", target_id: productId, limit: HISTORY_SHOWN } },
        }),
      ),
  });

/** The product's history (the activity feed about it, newest first): project managers and above. */
export const useProductHistory = (productId: string, enabled = true) =>
  useQuery({ ...productHistoryQueryOptions(productId), enabled });
