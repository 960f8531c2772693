import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

/** GET /api/notifications/unread-count, refreshed now and then in case a live event was missed. */
export const unreadCountQueryOptions = () =>
  queryOptions({
    queryKey: ["notifications", "unread-count"],
    queryFn: async () => (await unwrap(api.GET("/api/notifications/unread-count"))).unread_count,
    refetchInterval: 60_000,
  });

export const useUnreadCount = () => useQuery(unreadCountQueryOptions());
