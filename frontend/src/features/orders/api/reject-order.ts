import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export interface RejectInput {
  orderId: string;
  reason: string;
  notifyClient: boolean;
}

/** POST /api/orders/{id}/reject (project managers and above): pending renders are cancelled. */
export const rejectOrder = ({ orderId, reason, notifyClient }: RejectInput) =>
  unwrap(
    api.POST("/api/orders/{order_id}/reject", {
      params: { path: { order_id: orderId } },
      body: { reason, notify_client: notifyClient },
    }),
  );

export function useRejectOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rejectOrder,
    onSuccess: (order) => {
      queryClient.setQueryData(["orders", "detail", order.id], order);
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
