/**
 * The material library and the tenant's aliases: GET /api/materials, /api/material-aliases
 * (list, create, update, delete) and POST /api/material-aliases/preview.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type Material = Schemas["MaterialRead"];
export type Alias = Schemas["AliasRead"];
export type AliasCreate = Schemas["AliasCreate"];
export type AliasKind = Alias["kind"];
export type PreviewResult = Schemas["PreviewResult"];

export const materialKeys = {
  all: ["materials"] as const,
  library: () => [...materialKeys.all, "library"] as const,
  aliases: () => [...materialKeys.all, "aliases"] as const,
  preview: (parts: string[]) => [...materialKeys.all, "preview", parts] as const,
};

export const libraryQueryOptions = () =>
  queryOptions({ queryKey: materialKeys.library(), queryFn: () => unwrap(api.GET("/api/materials")) });

export const aliasesQueryOptions = () =>
  queryOptions({ queryKey: materialKeys.aliases(), queryFn: () => unwrap(api.GET("/api/material-aliases")) });

export const useLibrary = () => useQuery(libraryQueryOptions());
export const useAliases = () => useQuery(aliasesQueryOptions());

/** Resolve part names with the aliases as they are now; nothing is saved. */
export const usePreview = (parts: string[]) =>
  useQuery({
    queryKey: materialKeys.preview(parts),
    queryFn: () => unwrap(api.POST("/api/material-aliases/preview", { body: { parts } })),
    enabled: parts.length > 0,
    retry: false,
  });

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: materialKeys.all });
}

export function useCreateAlias() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: AliasCreate) => unwrap(api.POST("/api/material-aliases", { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateAlias() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, priority }: { id: string; priority: number }) =>
      unwrap(api.PATCH("/api/material-aliases/{alias_id}", { params: { path: { alias_id: id } }, body: { priority } })),
    onSuccess: invalidate,
  });
}

export function useDeleteAlias() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/material-aliases/{alias_id}", { params: { path: { alias_id: id } } })),
    onSuccess: invalidate,
  });
}
