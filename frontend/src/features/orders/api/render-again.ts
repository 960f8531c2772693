import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export interface RenderAgainInput {
  orderId: string;
  /** The completed lines to render again (or keep); omitted: every completed line of the draft. */
  lineIds?: string[];
  /** false: keep the lines' media again instead. */
  renderAgain?: boolean;
}

/** POST /api/orders/{id}/render-again: mark a draft's completed lines to render at the next submit. */
export const renderAgain = ({ orderId, lineIds, renderAgain = true }: RenderAgainInput) =>
  unwrap(
    api.POST("/api/orders/{order_id}/render-again", {
      params: { path: { order_id: orderId } },
      body: { line_ids: lineIds ?? null, render_again: renderAgain },
    }),
  );

export function useRenderAgain() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renderAgain,
    onSuccess: (order) => {
      queryClient.setQueryData(["orders", "detail", order.id], order);
      return queryClient.invalidateQueries({ queryKey: ["orders"] });
    },
  });
}
