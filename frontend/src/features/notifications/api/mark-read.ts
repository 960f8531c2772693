import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { NotificationPage } from "./list-notifications";
import { markReadLocally } from "../components/bell";
import { mapFeed, notificationFeedKey } from "./feeds";

/** POST /api/notifications/{id}/read (idempotent). The lists (the bell's, the page's) and the count change at once. */
export const markRead = (id: number) =>
  unwrap(api.POST("/api/notifications/{entry_id}/read", { params: { path: { entry_id: id } } }));

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onMutate: (id) => {
      const page = queryClient.getQueryData<NotificationPage>(["notifications", "list"]);
      const feed = queryClient.getQueryData<InfiniteData<NotificationPage, string | null>>(notificationFeedKey);
      const unreadIn = (p: NotificationPage) => p.items.some((item) => item.id === id && !item.read);
      const wasUnread = (page ? unreadIn(page) : false) || (feed?.pages.some(unreadIn) ?? false);
      if (page) queryClient.setQueryData(["notifications", "list"], markReadLocally(page, id));
      if (feed) queryClient.setQueryData(notificationFeedKey, mapFeed(feed, (p) => markReadLocally(p, id)));
      if (wasUnread) queryClient.setQueryData<number>(["notifications", "unread-count"], (n) => Math.max(0, (n ?? 1) - 1));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
}
