import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
    },
  });
}

/** How many products link to a CAD file, and the first of them (for "delete this file?"). */
export const LINKED_SHOWN = 10;

export const linkedProductsQueryOptions = (cadFileId: string) =>
  queryOptions({
    queryKey: ["products", "linked", cadFileId],
    queryFn: () =>
      unwrap(api.GET("/api/products", { params: { query: { cad_file_id: cadFileId, limit: LINKED_SHOWN } } })),
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

/** The tenant's CAD files to link from (the CAD library's newest 500; the picker filters by name). */
export const cadChoicesQueryOptions = () =>
  queryOptions({
    queryKey: ["products", "cad-choices"],
    queryFn: () => unwrap(api.GET("/api/cad-files", { params: { query: { limit: 500 } } })),
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
