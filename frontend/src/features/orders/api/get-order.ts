import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type OrderDetail = Schemas["OrderDetail"];
export type OrderLine = Schemas["OrderLineRead"];
export type MediaSummary = Schemas["MediaSummary"];

export const orderQueryOptions = (orderId: string) =>
  queryOptions({
    queryKey: ["orders", "detail", orderId],
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: orderId } } })),
  });

export const useOrder = (orderId: string) => useQuery(orderQueryOptions(orderId));
