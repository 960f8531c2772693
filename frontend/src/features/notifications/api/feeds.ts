/**
 * The Notifications page's lists, page after page (keyset: each page's `next_before` asks for the
 * older ones): GET /api/notifications, /api/activity (project managers and above) and /api/alerts
 * (tenant admins and above).
 */
import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import type { InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type NotificationPage = Schemas["NotificationPage"];
export type FeedPage = Schemas["FeedPage"];
export type FeedEntry = Schemas["FeedEntry"];

/** Entries per request. */
export const FEED_PAGE = 50;

/** Under ["notifications"]: the bell's mutations and live events refresh it too. */
export const notificationFeedKey = ["notifications", "feed"] as const;

export const notificationFeedQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: notificationFeedKey,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/notifications", { params: { query: { before: pageParam ?? undefined, limit: FEED_PAGE } } })),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before ?? null,
  });

export const useNotificationFeed = () => useInfiniteQuery(notificationFeedQueryOptions());

export const activityQueryOptions = (targetType: string) =>
  infiniteQueryOptions({
    queryKey: ["notifications", "activity", { targetType }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/activity", {
          params: { query: { before: pageParam ?? undefined, limit: FEED_PAGE, target_type: targetType || undefined } },
        }),
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before ?? null,
  });

export const useActivity = (targetType: string, enabled: boolean) =>
  useInfiniteQuery({ ...activityQueryOptions(targetType), enabled });

export const alertsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: ["notifications", "alerts"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/alerts", { params: { query: { before: pageParam ?? undefined, limit: FEED_PAGE } } })),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before ?? null,
  });

export const useAlerts = (enabled: boolean) => useInfiniteQuery({ ...alertsQueryOptions(), enabled });

/** Apply a change of one page (marking read) to every loaded page of the notification feed. */
export function mapFeed(
  data: InfiniteData<NotificationPage, number | null> | undefined,
  change: (page: NotificationPage) => NotificationPage,
): InfiniteData<NotificationPage, number | null> | undefined {
  return data ? { ...data, pages: data.pages.map(change) } : data;
}
