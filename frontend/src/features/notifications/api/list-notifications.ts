import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type NotificationPage = Schemas["NotificationPage"];
export type NotificationItem = Schemas["NotificationItem"];

export const LATEST = 15;

/** GET /api/notifications: the newest notifications for the user, with read marks and the unread count. */
export const notificationsQueryOptions = () =>
  queryOptions({
    queryKey: ["notifications", "list"],
    queryFn: () => unwrap(api.GET("/api/notifications", { params: { query: { page_size: LATEST } } })),
  });

export const useNotifications = (enabled = true) => useQuery({ ...notificationsQueryOptions(), enabled });
