import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

/** DELETE /api/orders/{id}: only drafts. */
export const deleteOrder = (orderId: string) =>
  unwrap(api.DELETE("/api/orders/{order_id}", { params: { path: { order_id: orderId } } }));

export function useDeleteOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteOrder,
    onSuccess: (_data, orderId) => {
      queryClient.removeQueries({ queryKey: ["orders", "detail", orderId] });
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
