import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type OrderCreate = Schemas["OrderCreate"];

/** POST /api/orders: a draft whose lines are every product × every output type. */
export const createOrder = (body: OrderCreate) => unwrap(api.POST("/api/orders", { body }));

export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createOrder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orders"] }),
  });
}
