import { useQueryClient } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import type { OrderDetail, OrderLine } from "./get-order";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent, LiveStatus } from "@/lib/ws";

/** The order an event is about, or null when it is not about an order. */
export function orderIdOf(event: LiveEvent): string | null {
  if ((event.type === "order_line" || event.type === "order") && typeof event.order_id === "string") {
    return event.order_id;
  }
  if (event.type === "notification" && event.target_type === "order" && typeof event.target_id === "string") {
    return event.target_id;
  }
  return null;
}

/** A render's progress (`order_line_progress` event) written into the cached order's line. */
export function patchLineProgress(queryClient: QueryClient, event: LiveEvent): void {
  const { order_id: orderId, line_id: lineId, progress } = event;
  if (typeof orderId !== "string" || typeof lineId !== "string" || !progress || typeof progress !== "object") return;
  queryClient.setQueryData<OrderDetail>(["orders", "detail", orderId], (order) =>
    order
      ? {
          ...order,
          lines: order.lines.map((line) =>
            line.id === lineId
              ? { ...line, render_status: line.render_status === "queued" ? "running" : line.render_status, progress: progress as OrderLine["progress"], queue: null }
              : line,
          ),
        }
      : order,
  );
}

/**
 * Keep the order queries fresh from `/api/ws`: a line's new status shows at once (patched into
 * the cached order), then the order is fetched again (steps, media); the board follows. Bursts of
 * events are folded into one refetch per order.
 */
export function useOrdersLive(): LiveStatus {
  const queryClient = useQueryClient();
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type === "order_line_progress") {
        // Up to two a second per rendering line: patched in place, never a refetch.
        patchLineProgress(queryClient, event);
        return;
      }
      const orderId = orderIdOf(event);
      if (!orderId) return;
      if (event.type === "order_line" && typeof event.line_id === "string" && typeof event.render_status === "string") {
        const status = event.render_status;
        queryClient.setQueryData<OrderDetail>(["orders", "detail", orderId], (order) =>
          order
            ? { ...order, lines: order.lines.map((line) => (line.id === event.line_id ? { ...line, render_status: status } : line)) }
            : order,
        );
      }
      if (event.type === "order" && typeof event.status === "string") {
        const status = event.status;
        queryClient.setQueryData<OrderDetail>(["orders", "detail", orderId], (order) => (order ? { ...order, status } : order));
      }
      pending.current.add(orderId);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const ids = [...pending.current];
        pending.current.clear();
        for (const id of ids) void queryClient.invalidateQueries({ queryKey: ["orders", "detail", id] });
        void queryClient.invalidateQueries({ queryKey: ["orders", "kanban"] });
      }, 200);
    },
    [queryClient],
  );

  return useLiveEvents(onEvent);
}
