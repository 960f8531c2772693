/**
 * The billing API (`/api/invoices`, `/api/price-list`): tenant admins manage, project managers
 * read. Lists page with `cursorPages`; PDF and CSV are fetched with the token and saved.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { api, ApiError, errorMessage, fetchFile, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { fileNameFromDisposition, saveBlob } from "@/lib/files";
import { cursorPages, PAGE_SIZE } from "@/lib/paging";

export type InvoiceSummary = Schemas["InvoiceSummary"];
export type Invoice = Schemas["InvoiceRead"];
export type Price = Schemas["PriceRead"];
export type InvoiceStatus = InvoiceSummary["status"];
export const INVOICE_STATUSES: InvoiceStatus[] = ["draft", "issued", "paid", "void"];

const KEY = ["billing"] as const;

export function useInvoicePages(status: InvoiceStatus | "") {
  return useInfiniteQuery(
    cursorPages([...KEY, "invoices", status], (cursor) =>
      unwrap(
        api.GET("/api/invoices", {
          params: { query: { status: status || undefined, cursor, page_size: PAGE_SIZE } },
        }),
      ),
    ),
  );
}

export const useInvoice = (invoiceId: string) =>
  useQuery({
    queryKey: [...KEY, "invoice", invoiceId],
    queryFn: () => unwrap(api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: invoiceId } } })),
  });

export const usePrices = () =>
  useQuery({ queryKey: [...KEY, "prices"], queryFn: () => unwrap(api.GET("/api/price-list")) });

/** The tenant's billing mode, for the draft dialog (tenant admins read the tenant config). */
export const useBillingMode = (enabled: boolean) =>
  useQuery({
    queryKey: [...KEY, "mode"],
    queryFn: async () => (await unwrap(api.GET("/api/tenant-config"))).tenant_config.billing_mode,
    enabled,
  });

/** The tenant's completed orders (what a per-order invoice can be drafted for). */
export const useCompletedOrders = (enabled: boolean) =>
  useQuery({
    queryKey: [...KEY, "completed-orders"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/orders", { params: { query: { status: ["completed"], limit: 200 } } }));
      return "items" in page ? page.items : [];
    },
    enabled,
  });

function useBillingMutation<V>(run: (vars: V) => Promise<Invoice | void>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => client.invalidateQueries({ queryKey: KEY }) });
}

export const useDraftInvoice = () =>
  useBillingMutation((body: { month?: string; order_id?: string }) => unwrap(api.POST("/api/invoices", { body })));

export type InvoiceAction = "issue" | "pay" | "void" | "credit";

export const useInvoiceAction = (invoiceId: string) =>
  useBillingMutation((action: InvoiceAction) => {
    const params = { path: { invoice_id: invoiceId } };
    switch (action) {
      case "issue":
        return unwrap(api.POST("/api/invoices/{invoice_id}/issue", { params }));
      case "pay":
        return unwrap(api.POST("/api/invoices/{invoice_id}/pay", { params }));
      case "void":
        return unwrap(api.POST("/api/invoices/{invoice_id}/void", { params }));
      case "credit":
        return unwrap(api.POST("/api/invoices/{invoice_id}/credit", { params, body: {} }));
    }
  });

export const useDeleteDraft = (invoiceId: string) =>
  useBillingMutation(async () => {
    await unwrap(api.DELETE("/api/invoices/{invoice_id}", { params: { path: { invoice_id: invoiceId } } }));
  });

export const useAddPrice = () =>
  useBillingMutation(async (body: { output_type_id: string; unit_price: string; valid_from: string }) => {
    await unwrap(api.POST("/api/price-list", { body }));
  });

/** Save the invoice as PDF or CSV under the name the server gives. */
export async function downloadInvoice(invoiceId: string, format: "pdf" | "csv"): Promise<void> {
  const response = await fetchFile(`/api/invoices/${encodeURIComponent(invoiceId)}/${format}`);
  const name = fileNameFromDisposition(response.headers.get("Content-Disposition")) ?? `invoice.${format}`;
  saveBlob(await response.blob(), name);
}

/** The error's message from the errors catalogue by its code, else the API's own. */
export function apiErrorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) return t(`errors:${error.code}`, { defaultValue: error.message });
  return errorMessage(error);
}

/** The tenant's output types, to add a price for (tenant admins). */
export const useBillableOutputTypes = (enabled: boolean) =>
  useQuery({
    queryKey: [...KEY, "output-types"],
    queryFn: () => unwrap(api.GET("/api/output-types")),
    enabled,
  });
