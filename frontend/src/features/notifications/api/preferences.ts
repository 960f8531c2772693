/**
 * Notification preferences: the user's own (GET/PUT/DELETE /api/notification-preferences) and
 * the tenant's defaults (GET/PUT /api/notification-preferences/tenant, tenant admins). A change
 * shows at once and is taken back when the server refuses it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { applyChange } from "../components/preferences";
import type { Change, Preferences, TenantDefault } from "../components/preferences";

export type PreferencesUpdate = Schemas["PreferencesUpdate"];
export type TenantDefaultChange = Schemas["TenantDefaultChange"];

export const preferenceKeys = {
  mine: ["notification-preferences", "mine"] as const,
  tenant: ["notification-preferences", "tenant"] as const,
};

export const preferencesQueryOptions = () =>
  queryOptions({ queryKey: preferenceKeys.mine, queryFn: () => unwrap(api.GET("/api/notification-preferences")) });

export const tenantDefaultsQueryOptions = () =>
  queryOptions({ queryKey: preferenceKeys.tenant, queryFn: () => unwrap(api.GET("/api/notification-preferences/tenant")) });

export const usePreferences = () => useQuery(preferencesQueryOptions());
export const useTenantDefaults = (enabled: boolean) => useQuery({ ...tenantDefaultsQueryOptions(), enabled });

/**
 * Save a frequency, the language or the time zone (PUT: only what is sent changes). Optimistic:
 * the page shows the change at once and goes back to what it was if the server refuses.
 */
export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferencesUpdate) => unwrap(api.PUT("/api/notification-preferences", { body })),
    onMutate: async (body) => {
      await queryClient.cancelQueries({ queryKey: preferenceKeys.mine });
      const before = queryClient.getQueryData<Preferences>(preferenceKeys.mine);
      if (before) {
        let next: Preferences = {
          ...before,
          locale: body.locale ?? before.locale,
          timezone: body.timezone ?? before.timezone,
        };
        for (const item of body.items ?? []) next = applyChange(next, item as Change);
        queryClient.setQueryData(preferenceKeys.mine, next);
      }
      return { before };
    },
    onError: (_error, _body, context) => {
      if (context?.before) queryClient.setQueryData(preferenceKeys.mine, context.before);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(preferenceKeys.mine, saved);
      // What the list hides (hourly, daily, never in the app) changed with it.
      void queryClient.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

/** Forget the user's own choices (DELETE): the tenant's or the role's defaults apply again. */
export function useResetPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/notification-preferences")),
    onSuccess: (saved) => {
      queryClient.setQueryData(preferenceKeys.mine, saved);
      void queryClient.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

/** Set (or, with null, remove) tenant defaults; optimistic like the user's own. */
export function useUpdateTenantDefaults() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (items: TenantDefaultChange[]) => unwrap(api.PUT("/api/notification-preferences/tenant", { body: { items } })),
    onMutate: async (items) => {
      await queryClient.cancelQueries({ queryKey: preferenceKeys.tenant });
      const before = queryClient.getQueryData<TenantDefault[]>(preferenceKeys.tenant);
      if (before) {
        queryClient.setQueryData(
          preferenceKeys.tenant,
          before.map((row) => {
            const change = items.find((c) => c.event_type === row.event_type && c.channel === row.channel);
            return change ? { ...row, frequency: change.frequency } : row;
          }),
        );
      }
      return { before };
    },
    onError: (_error, _items, context) => {
      if (context?.before) queryClient.setQueryData(preferenceKeys.tenant, context.before);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(preferenceKeys.tenant, saved);
      // The user's own defaults may come from the tenant's.
      void queryClient.invalidateQueries({ queryKey: preferenceKeys.mine });
    },
  });
}
