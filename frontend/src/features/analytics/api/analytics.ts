/**
 * GET /api/analytics/renders, /cad, /orders and /renders/failures (the failing lines behind a bar).
 * A global admin's tenant pick is added to the query by the API client (lib/api scopeRequest).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { PAGE_SIZE, cursorPages } from "@/lib/paging";
import type { DateRange, GroupBy } from "../components/range";

export type RenderAnalytics = Schemas["RenderAnalytics"];
export type OrderAnalytics = Schemas["OrderAnalytics"];
export type CadAnalytics = Schemas["CadAnalytics"];
export type FailedLine = Schemas["FailedLine"];

export const analyticsKeys = {
  all: ["analytics"] as const,
  renders: (range: DateRange, groupBy: GroupBy) => [...analyticsKeys.all, "renders", range, groupBy] as const,
  orders: (range: DateRange, groupBy: GroupBy) => [...analyticsKeys.all, "orders", range, groupBy] as const,
  cad: (range: DateRange, groupBy: GroupBy) => [...analyticsKeys.all, "cad", range, groupBy] as const,
  failures: (range: DateRange, step: string) => [...analyticsKeys.all, "failures", range, step] as const,
};

export const useRenderAnalytics = (range: DateRange, groupBy: GroupBy, enabled = true) =>
  useQuery({
    queryKey: analyticsKeys.renders(range, groupBy),
    queryFn: () =>
      unwrap(api.GET("/api/analytics/renders", { params: { query: { from: range.from, to: range.to, group_by: groupBy } } })),
    enabled,
  });

export const useOrderAnalytics = (range: DateRange, groupBy: GroupBy, enabled = true) =>
  useQuery({
    queryKey: analyticsKeys.orders(range, groupBy),
    queryFn: () =>
      unwrap(api.GET("/api/analytics/orders", { params: { query: { from: range.from, to: range.to, group_by: groupBy } } })),
    enabled,
  });

export const useCadAnalytics = (range: DateRange, groupBy: GroupBy, enabled = true) =>
  useQuery({
    queryKey: analyticsKeys.cad(range, groupBy),
    queryFn: () =>
      unwrap(api.GET("/api/analytics/cad", { params: { query: { from: range.from, to: range.to, group_by: groupBy } } })),
    enabled,
  });

export const useFailedLines = (range: DateRange, step: string | null) =>
  useInfiniteQuery({
    ...cursorPages(analyticsKeys.failures(range, step ?? ""), (cursor) =>
      unwrap(
        api.GET("/api/analytics/renders/failures", {
          params: { query: { from: range.from, to: range.to, step: step ?? undefined, cursor, page_size: PAGE_SIZE } },
        }),
      ),
    ),
    enabled: step !== null,
  });
