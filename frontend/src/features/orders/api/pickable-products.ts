import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type ProductPicks = Schemas["ProductPicks"];

/**
 * GET /api/orders/pickable-products?q=: every product the search finds (not just the page shown),
 * with its CAD status; 422 `too_many_products` when more match than an order may hold.
 */
export const fetchPickableProducts = (q: string) =>
  unwrap(api.GET("/api/orders/pickable-products", { params: { query: { q: q.trim() || undefined } } }));
