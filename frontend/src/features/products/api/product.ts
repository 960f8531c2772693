import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import type { Product } from "./list-products";

export type ProductUpdate = Schemas["ProductUpdate"];

export const productQueryOptions = (productId: string) =>
  queryOptions({
    queryKey: ["products", "detail", productId],
    queryFn: () => unwrap(api.GET("/api/products/{product_id}", { params: { path: { product_id: productId } } })),
  });

/** One product with its CAD file's name and state. */
export const useProduct = (productId: string) => useQuery(productQueryOptions(productId));

/** PATCH /api/products/{id}: the fields given change, `null` clears (category, bearing type, CAD link). */
export function useUpdateProduct(productId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProductUpdate) =>
      unwrap(api.PATCH("/api/products/{product_id}", { params: { path: { product_id: productId } }, body })),
    onSuccess: (product: Product) => {
      queryClient.setQueryData(productQueryOptions(productId).queryKey, product);
      void queryClient.invalidateQueries({ queryKey: ["products", "list"] });
      void queryClient.invalidateQueries({ queryKey: ["products", "linked"] });
      void queryClient.invalidateQueries({ queryKey: ["products", "history", productId] });
    },
  });
}

/** How many products link to a CAD file, and the first of them (for "delete this file?"). */
export const LINKED_SHOWN = 10;

export const linkedProductsQueryOptions = (cadFileId: string) =>
  queryOptions({
    queryKey: ["products", "linked", cadFileId],
    queryFn: () =>
      unwrap(api.GET("/api/products", { params: { query: { cad_file_id: cadFileId, page_size: LINKED_SHOWN } } })),
  });

export const useLinkedProducts = (cadFileId: string, enabled = true) =>
  useQuery({ ...linkedProductsQueryOptions(cadFileId), enabled });

/** The material names an override may name (library and the tenant's own), for suggestions. */
export const materialNamesQueryOptions = () =>
  queryOptions({
    queryKey: ["materials", "names"],
    queryFn: async () => (await unwrap(api.GET("/api/materials"))).map((material) => material.name),
    staleTime: 60_000,
  });

/** What the CAD picker asks `GET /api/cad-files` (`cadChoicesQuery` in components/cad-picker.ts). */
export interface CadChoicesQuery {
  q?: string;
  status?: "ready";
  page_size: number;
  /** The product's tenant: a global admin's "All tenants" would list every tenant's files. */
  tenant_id: string;
}

/** CAD files to link from, searched by name on the server. */
export const cadChoicesQueryOptions = (query: CadChoicesQuery) =>
  queryOptions({
    queryKey: ["products", "cad-choices", query],
    queryFn: () => unwrap(api.GET("/api/cad-files", { params: { query } })),
    placeholderData: keepPreviousData, // the list stays while the next search is asked
  });

/** The part names of the product's CAD file, for material overrides. */
export const cadPartNamesQueryOptions = (cadFileId: string) =>
  queryOptions({
    queryKey: ["products", "cad-parts", cadFileId],
    queryFn: async () =>
      (await unwrap(api.GET("/api/cad-files/{cad_file_id}", { params: { path: { cad_file_id: cadFileId } } }))).parts.map(
        (part) => part.name,
      ),
  });
