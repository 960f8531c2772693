/**
 * The settings screens' API: the settings registry with its values (GET /api/settings), a
 * tenant's overrides (PUT/DELETE /api/settings/{key}), the installation values (global admins:
 * PUT/DELETE /api/settings/{key}/installation), the tenant config with its version
 * (GET/PATCH /api/tenant-config), the audit trail of both (GET /api/audit, paged) and the
 * tenant's materials (the fallback material's choices).
 */
import { queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { PAGE_SIZE, cursorPages } from "@/lib/paging";

export type Setting = Schemas["SettingRead"];
export type TenantConfigRead = Schemas["TenantConfigRead"];
export type TenantConfig = Schemas["TenantConfig"];
export type TenantConfigPatch = Schemas["TenantConfigPatch"];
export type AuditEntry = Schemas["AuditEntryRead"];
export type AuditTarget = "setting" | "tenant_config";

export const settingsKeys = {
  all: ["settings"] as const,
  list: () => [...settingsKeys.all, "list"] as const,
  tenantConfig: () => [...settingsKeys.all, "tenant-config"] as const,
  audit: (target: AuditTarget) => [...settingsKeys.all, "audit", target] as const,
  materials: () => [...settingsKeys.all, "materials"] as const,
};

export const useSettings = () =>
  useQuery(queryOptions({ queryKey: settingsKeys.list(), queryFn: () => unwrap(api.GET("/api/settings")) }));

export const useTenantConfig = (enabled = true) =>
  useQuery({ queryKey: settingsKeys.tenantConfig(), queryFn: () => unwrap(api.GET("/api/tenant-config")), enabled });

/** The names of the tenant's materials (built-in and own), for the fallback material. */
export const useMaterialNames = (enabled = true) =>
  useQuery({
    queryKey: settingsKeys.materials(),
    queryFn: async () => (await unwrap(api.GET("/api/materials"))).map((m) => m.name),
    enabled,
    staleTime: 60_000,
  });

export const useAuditTrail = (target: AuditTarget) =>
  useInfiniteQuery(
    cursorPages(settingsKeys.audit(target), (cursor) =>
      unwrap(api.GET("/api/audit", { params: { query: { target_type: target, cursor, page_size: PAGE_SIZE } } })),
    ),
  );

function useRefresh(target: AuditTarget) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: target === "setting" ? settingsKeys.list() : settingsKeys.tenantConfig() }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.audit(target) }),
    ]);
}

/** Writes of one setting: `scope` "tenant" is the tenant's override, "installation" the global value. */
export function useSettingWrites() {
  const refresh = useRefresh("setting");
  const save = useMutation({
    mutationFn: ({ key, value, scope }: { key: string; value: unknown; scope: "tenant" | "installation" }) =>
      scope === "tenant"
        ? unwrap(api.PUT("/api/settings/{key}", { params: { path: { key } }, body: { value } }))
        : unwrap(api.PUT("/api/settings/{key}/installation", { params: { path: { key } }, body: { value } })),
    onSuccess: refresh,
  });
  const reset = useMutation({
    mutationFn: ({ key, scope }: { key: string; scope: "tenant" | "installation" }) =>
      scope === "tenant"
        ? unwrap(api.DELETE("/api/settings/{key}", { params: { path: { key } } }))
        : unwrap(api.DELETE("/api/settings/{key}/installation", { params: { path: { key } } })),
    onSuccess: refresh,
  });
  return { save, reset };
}

export function useChangeTenantConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: number; config: TenantConfigPatch }) =>
      unwrap(api.PATCH("/api/tenant-config", { body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.tenantConfig(), saved);
      return queryClient.invalidateQueries({ queryKey: settingsKeys.audit("tenant_config") });
    },
  });
}
