import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { NotificationPage } from "./list-notifications";
import { markReadLocally } from "../components/bell";

/** POST /api/notifications/{id}/read (idempotent). The list and the count change at once. */
export const markRead = (id: number) =>
  unwrap(api.POST("/api/notifications/{entry_id}/read", { params: { path: { entry_id: id } } }));

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onMutate: (id) => {
      const page = queryClient.getQueryData<NotificationPage>(["notifications", "list"]);
      const wasUnread = page?.items.some((item) => item.id === id && !item.read) ?? false;
      if (page) queryClient.setQueryData(["notifications", "list"], markReadLocally(page, id));
      if (wasUnread) queryClient.setQueryData<number>(["notifications", "unread-count"], (n) => Math.max(0, (n ?? 1) - 1));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
}
