import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { NotificationPage } from "./list-notifications";
import { markAllReadLocally } from "../components/bell";
import { mapFeed, notificationFeedKey } from "./feeds";

/** POST /api/notifications/read-all. */
export const markAllRead = () => unwrap(api.POST("/api/notifications/read-all"));

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllRead,
    onMutate: () => {
      const page = queryClient.getQueryData<NotificationPage>(["notifications", "list"]);
      if (page) queryClient.setQueryData(["notifications", "list"], markAllReadLocally(page));
      const feed = queryClient.getQueryData<InfiniteData<NotificationPage, string | null>>(notificationFeedKey);
      if (feed) queryClient.setQueryData(notificationFeedKey, mapFeed(feed, (p) => markAllReadLocally(p)));
      queryClient.setQueryData(["notifications", "unread-count"], 0);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
}
