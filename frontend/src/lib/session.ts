/**
 * The logged-in user (`GET /api/auth/me`: user, tenant, role, permissions) for every feature,
 * and logout. Features read the session here; they never import the auth feature.
 *
 *   const me = useMe().data;            // undefined while loading
 *   const canReject = useCan("reject_orders");
 *   const { overview, tenantName } = useTenantView();   // a global admin's "All tenants"
 */
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { authStore, useTokens } from "@/lib/auth";
import { hasPermissions } from "@/lib/permissions";
import type { Permission } from "@/lib/permissions";
import { tenantScope, usePickedTenant } from "@/lib/tenant-scope";

export type Me = Schemas["Me"];
export type Tenant = Schemas["TenantRead"];

export const meQueryOptions = () =>
  queryOptions({
    queryKey: ["auth", "me"],
    queryFn: () => unwrap(api.GET("/api/auth/me")),
    staleTime: 5 * 60_000,
  });

export function useMe() {
  const loggedIn = useTokens() !== null;
  return useQuery({ ...meQueryOptions(), enabled: loggedIn });
}

/** Whether the logged-in user has every one of the permissions (false while loading). */
export function useCan(...required: Permission[]): boolean {
  const me = useMe().data;
  return hasPermissions(me?.permissions, ...required);
}

/** Log out: forget the tokens and every cached answer. The shell then shows the login page. */
export function useLogout(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    authStore.clear();
    queryClient.clear();
  }, [queryClient]);
}

/** Every tenant, for a global admin's picker and tenant columns (the API allows 500 a page). */
export const tenantsQueryOptions = () =>
  queryOptions({
    queryKey: ["tenants", "all"],
    queryFn: () => unwrap(api.GET("/api/tenants", { params: { query: { limit: 500 } } })),
    staleTime: 5 * 60_000,
  });

export interface TenantView {
  /** A global admin: picks the tenant to act in, or All tenants. */
  canPick: boolean;
  /** The tenant the UI acts in: the user's own or the pick; null for a global admin's All tenants. */
  tenantId: string | null;
  /** Every tenant (global admins only; empty for everyone else). */
  tenants: Tenant[];
  /** All tenants: a read-only overview, lists show a tenant column, creating needs a pick. */
  overview: boolean;
  /** A tenant's name by id (the id itself until the tenants are loaded). */
  tenantName: (tenantId: string) => string;
}

export function useTenantView(): TenantView {
  const me = useMe().data;
  const picked = usePickedTenant();
  const canPick = me?.role === "global_admin";
  const loaded = useQuery({ ...tenantsQueryOptions(), enabled: canPick }).data;
  const tenants = useMemo(() => loaded ?? [], [loaded]);
  const tenantName = useCallback(
    (tenantId: string) => tenants.find((tenant) => tenant.id === tenantId)?.name ?? tenantId,
    [tenants],
  );
  return {
    canPick,
    tenantId: canPick ? picked : (me?.tenant?.id ?? null),
    tenants,
    overview: canPick && picked === null,
    tenantName,
  };
}

/**
 * Pick a tenant (null: All tenants) as a global admin. Every cached answer but the session and
 * the tenants is dropped and the open lists load again, now for the pick.
 */
export function usePickTenant(): (tenantId: string | null) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (tenantId: string | null) => {
      tenantScope.set(tenantId);
      void queryClient.resetQueries({ predicate: (query) => !["auth", "tenants"].includes(String(query.queryKey[0])) });
    },
    [queryClient],
  );
}
