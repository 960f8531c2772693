import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type KanbanBoard = Schemas["KanbanBoard"];

/** GET /api/orders?view=kanban: every status column with its count and newest orders. */
export const ordersKanbanQueryOptions = () =>
  queryOptions({
    queryKey: ["orders", "kanban"],
    queryFn: async () => {
      const board = await unwrap(api.GET("/api/orders", { params: { query: { view: "kanban", page_size: 50 } } }));
      if (!("columns" in board)) throw new Error("The server did not answer with a board.");
      return board;
    },
  });

export const useOrdersKanban = () => useQuery(ordersKanbanQueryOptions());
