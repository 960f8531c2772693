import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cadKeys } from "./keys";

export type MaterialRead = Schemas["MaterialRead"];
export type AliasCandidate = Schemas["AliasCandidate"];
export type AliasPreview = Schemas["PreviewResult"];
export type AssignMaterialBody = Schemas["AssignMaterial"];

/** GET /api/materials: the built-in library and the tenant's own materials. */
export const materialsQueryOptions = () =>
  queryOptions({
    queryKey: [...cadKeys.all, "materials"] as const,
    queryFn: () => unwrap(api.GET("/api/materials")),
    staleTime: 60_000,
  });

export const useMaterials = (enabled: boolean) => useQuery({ ...materialsQueryOptions(), enabled });

/**
 * POST /api/material-aliases/preview with a candidate alias: what the file's parts would get,
 * and which parts and files of the tenant it would change. Nothing is saved.
 */
export function useAliasPreview(parts: string[], candidate: AliasCandidate | null) {
  return useQuery({
    queryKey: [...cadKeys.all, "alias-preview", parts, candidate] as const,
    queryFn: () =>
      unwrap(api.POST("/api/material-aliases/preview", { body: { parts, candidate: candidate ?? undefined } })),
    enabled: candidate !== null && parts.length > 0,
    staleTime: 10_000,
    retry: false,
  });
}

/** POST /api/cad-files/{id}/assign-material: save the alias and process the file (and others) again. */
export function useAssignMaterial(cadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AssignMaterialBody) =>
      unwrap(api.POST("/api/cad-files/{cad_file_id}/assign-material", { params: { path: { cad_file_id: cadId } }, body })),
    onSuccess: (result) => {
      queryClient.setQueryData(cadKeys.detail(cadId), result.cad_file);
      void queryClient.invalidateQueries({ queryKey: cadKeys.all });
    },
  });
}
