/**
 * The Notifications page's lists, page after page in the one page shape (`lib/paging`: each
 * page's `next_cursor` asks for the older ones): GET /api/notifications, /api/activity (project
 * managers and above) and /api/alerts (tenant admins and above).
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import type { InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cursorPages, PAGE_SIZE } from "@/lib/paging";

export type NotificationPage = Schemas["NotificationPage"];
export type FeedPage = Schemas["FeedPage"];
export type FeedEntry = Schemas["FeedEntry"];

/** Entries per request. */
export const FEED_PAGE = PAGE_SIZE;

/** Under ["notifications"]: the bell's mutations and live events refresh it too. */
export const notificationFeedKey = ["notifications", "feed"] as const;

export const notificationFeedQueryOptions = () =>
  cursorPages(notificationFeedKey, (cursor) =>
    unwrap(api.GET("/api/notifications", { params: { query: { cursor, page_size: FEED_PAGE } } })),
  );

export const useNotificationFeed = () => useInfiniteQuery(notificationFeedQueryOptions());

export const activityQueryOptions = (targetType: string) =>
  cursorPages(["notifications", "activity", { targetType }], (cursor) =>
    unwrap(
      api.GET("/api/activity", {
        params: { query: { cursor, page_size: FEED_PAGE, target_type: targetType || undefined } },
      }),
    ),
  );

export const useActivity = (targetType: string, enabled: boolean) =>
  useInfiniteQuery({ ...activityQueryOptions(targetType), enabled });

export const alertsQueryOptions = () =>
  cursorPages(["notifications", "alerts"], (cursor) =>
    unwrap(api.GET("/api/alerts", { params: { query: { cursor, page_size: FEED_PAGE } } })),
  );

export const useAlerts = (enabled: boolean) => useInfiniteQuery({ ...alertsQueryOptions(), enabled });

/** Apply a change of one page (marking read) to every loaded page of the notification feed. */
export function mapFeed(
  data: InfiniteData<NotificationPage, string | null> | undefined,
  change: (page: NotificationPage) => NotificationPage,
): InfiniteData<NotificationPage, string | null> | undefined {
  return data ? { ...data, pages: data.pages.map(change) } : data;
}
