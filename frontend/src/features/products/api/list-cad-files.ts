import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type CadFileSummary = Schemas["CadFileSummary"];

/**
 * The tenant's CAD files by id (name and status for the products' CAD column). One request for
 * the whole list instead of one per product; clients get only the files they uploaded.
 */
export const cadFileIndexQueryOptions = () =>
  queryOptions({
    queryKey: ["products", "cad-file-index"],
    queryFn: async () => {
      const files = await unwrap(api.GET("/api/cad-files", { params: { query: { limit: 500 } } }));
      return new Map(files.map((file) => [file.id, file]));
    },
    staleTime: 30_000,
  });

export const useCadFileIndex = () => useQuery(cadFileIndexQueryOptions());
