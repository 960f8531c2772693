import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

/** POST /api/orders/{id}/resubmit: rejected → draft, to be changed and submitted again. */
export const resubmitOrder = (orderId: string) =>
  unwrap(api.POST("/api/orders/{order_id}/resubmit", { params: { path: { order_id: orderId } } }));

export function useResubmitOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resubmitOrder,
    onSuccess: (order) => {
      queryClient.setQueryData(["orders", "detail", order.id], order);
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
