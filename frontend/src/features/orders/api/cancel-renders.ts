import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

/** POST /api/orders/{id}/cancel-renders (project managers and above): stop every unfinished line. */
export const cancelRenders = (orderId: string) =>
  unwrap(api.POST("/api/orders/{order_id}/cancel-renders", { params: { path: { order_id: orderId } } }));

export function useCancelRenders() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelRenders,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orders"] }),
  });
}
