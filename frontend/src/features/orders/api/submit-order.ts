import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

/** POST /api/orders/{id}/submit: draft → submitted; the lines are queued for rendering. */
export const submitOrder = (orderId: string) =>
  unwrap(api.POST("/api/orders/{order_id}/submit", { params: { path: { order_id: orderId } } }));

export function useSubmitOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: submitOrder,
    onSuccess: (order) => {
      queryClient.setQueryData(["orders", "detail", order.id], order);
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
