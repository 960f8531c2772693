/**
 * Tenants of the Tenants screen (global admins): the list is the session's (`lib/session`, which
 * the shell's tenant picker reads too, so a new tenant appears there at once); POST /api/tenants
 * (with its first admin: a temporary password in the answer) and PATCH (name, active).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { tenantsQueryOptions } from "@/lib/session";

export type TenantCreate = Schemas["TenantCreate"];
export type TenantCreated = Schemas["TenantCreated"];
export type TenantUpdate = Schemas["TenantUpdate"];

export const useTenants = () => useQuery(tenantsQueryOptions());

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: ["tenants"] });
}

export function useCreateTenant() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: TenantCreate) => unwrap(api.POST("/api/tenants", { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateTenant() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: TenantUpdate & { id: string }) =>
      unwrap(api.PATCH("/api/tenants/{tenant_id}", { params: { path: { tenant_id: id } }, body })),
    onSuccess: invalidate,
  });
}

/** A slug suggested from a name: "ACME Industrial GmbH" → "acme-industrial-gmbh". */
export function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}
