import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type DraftEdit = Schemas["DraftEdit"];

/**
 * PUT /api/orders/{id}: the draft becomes what the wizard shows (title, notes, every product ×
 * every output type); lines it had keep their status and media. 409 unless it is a draft.
 */
export const editDraft = ({ orderId, body }: { orderId: string; body: DraftEdit }) =>
  unwrap(api.PUT("/api/orders/{order_id}", { params: { path: { order_id: orderId } }, body }));

export function useEditDraft() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: editDraft,
    onSuccess: (order) => {
      queryClient.setQueryData(["orders", "detail", order.id], order);
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
