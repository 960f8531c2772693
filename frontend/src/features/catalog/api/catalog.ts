/**
 * The render catalogue's admin API: the alias order and the reset to the default aliases
 * (/api/material-aliases), render templates (/api/render-templates), camera positions
 * (/api/positions) and saving output types with their render settings (/api/output-types).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, authFetch, toApiError, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { withTenant } from "@/lib/tenant-scope";

export type Alias = Schemas["AliasRead"];
export type ResetPreview = Schemas["ResetDefaultsPreview"];
export type Template = Schemas["RenderTemplateRead"];
export type Position = Schemas["PositionRead"];
export type OutputType = Schemas["OutputTypeRead"];
export type OutputTypeCreate = Schemas["OutputTypeCreate"];

const MATERIALS = ["materials"] as const;
export const catalogKeys = {
  templates: () => ["catalog", "templates"] as const,
  positions: () => ["catalog", "positions"] as const,
};

/** Save the aliases' order (every id, first wins); 409 `aliases_changed` when the list is stale. */
export function useReorderAliases() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => unwrap(api.PUT("/api/material-aliases/order", { body: { ids } })),
    onSuccess: (aliases) => queryClient.setQueryData([...MATERIALS, "aliases"], aliases),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: MATERIALS }),
  });
}

export const useResetPreview = (removeCustom: boolean, enabled: boolean) =>
  useQuery({
    queryKey: [...MATERIALS, "reset-preview", removeCustom],
    queryFn: () => unwrap(api.POST("/api/material-aliases/reset-defaults/preview", { body: { remove_custom: removeCustom } })),
    enabled,
    staleTime: 0,
    gcTime: 0,
  });

export function useResetDefaults() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (removeCustom: boolean) =>
      unwrap(api.POST("/api/material-aliases/reset-defaults", { body: { remove_custom: removeCustom } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MATERIALS }),
  });
}

// -- render templates -------------------------------------------------------------------------

export const templatesQueryOptions = () =>
  queryOptions({
    queryKey: catalogKeys.templates(),
    queryFn: () => unwrap(api.GET("/api/render-templates")),
    // A fresh upload is validated by a render host: look again until none is validating.
    refetchInterval: (query) => (query.state.data?.some((t) => t.status === "validating") ? 1500 : false),
  });

export const useTemplates = (enabled = true) => useQuery({ ...templatesQueryOptions(), enabled });

/** Upload a .blend (multipart `file`, optional `name`); it comes back `validating`. */
export function useUploadTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, name }: { file: File; name: string }) => {
      const form = new FormData();
      form.append("file", file, file.name);
      if (name.trim()) form.append("name", name.trim());
      const response = await authFetch(withTenant("/api/render-templates"), { method: "POST", body: form });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw toApiError(response.status, body);
      return body as Template;
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.templates() }),
  });
}

export function useUpdateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; is_active?: boolean; name?: string }) =>
      unwrap(api.PATCH("/api/render-templates/{template_id}", { params: { path: { template_id: id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.templates() }),
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/render-templates/{template_id}", { params: { path: { template_id: id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.templates() }),
  });
}

// -- positions --------------------------------------------------------------------------------

export const usePositions = (enabled = true) =>
  useQuery({ queryKey: catalogKeys.positions(), queryFn: () => unwrap(api.GET("/api/positions")), enabled });

export function useCreatePosition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; azimuth_deg: number; elevation_deg: number }) => unwrap(api.POST("/api/positions", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.positions() }),
  });
}

export function useDeletePosition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/positions/{position_id}", { params: { path: { position_id: id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.positions() }),
  });
}

// -- output types -----------------------------------------------------------------------------

function useInvalidateOutputTypes() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ["workflows", "output-types"] });
    void queryClient.invalidateQueries({ queryKey: ["output-types"] });
  };
}

/** Deactivate (or activate again) an output type: one PATCH of `is_active`. */
export function useSetOutputTypeActive() {
  const invalidate = useInvalidateOutputTypes();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.PATCH("/api/output-types/{output_type_id}", { params: { path: { output_type_id: id } }, body: { is_active: active } })),
    onSuccess: invalidate,
  });
}

/** Create an output type (no id) or change one (PATCH; render settings merge into the stored ones). */
export function useSaveOutputType() {
  const invalidate = useInvalidateOutputTypes();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: OutputTypeCreate }) =>
      id
        ? unwrap(api.PATCH("/api/output-types/{output_type_id}", { params: { path: { output_type_id: id } }, body }))
        : unwrap(api.POST("/api/output-types", { body })),
    onSuccess: invalidate,
  });
}
