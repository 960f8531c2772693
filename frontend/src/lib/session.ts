/**
 * The logged-in user (`GET /api/auth/me`: user, tenant, role, permissions) for every feature,
 * and logout. Features read the session here; they never import the auth feature.
 *
 *   const me = useMe().data;            // undefined while loading
 *   const canReject = useCan("reject_orders");
 */
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { authStore, useTokens } from "@/lib/auth";
import { hasPermissions } from "@/lib/permissions";
import type { Permission } from "@/lib/permissions";

export type Me = Schemas["Me"];

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
