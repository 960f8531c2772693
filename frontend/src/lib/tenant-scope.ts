/**
 * A global admin's tenant choice: "All tenants" (a read-only overview: lists of every tenant with a
 * tenant column; uploads, imports and orders need a tenant) or one tenant (every request then acts
 * in it: `lib/api.ts` fills the API's `tenant_id`). The choice is kept in localStorage per user, so
 * a reload keeps it; other roles always act in their own tenant and have no choice.
 *
 *   tenantScope.tenantId()        // the picked tenant's id, or null (All tenants / not a global admin)
 *   tenantScope.set(id | null)    // pick (the shell's picker)
 */
import { useSyncExternalStore } from "react";
import { authStore } from "@/lib/auth";

const STORAGE_KEY = "automat.tenant-scope";
type Listener = () => void;

interface Stored {
  user: string;
  tenant: string | null;
}

interface TokenClaims {
  sub: string;
  role: string;
}

/** The claims of an access token (a JWT), or null for anything that is not one. Not verified: a hint. */
export function tokenClaims(token: string | null): TokenClaims | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const claims = JSON.parse(json) as Partial<TokenClaims>;
    return typeof claims.sub === "string" && typeof claims.role === "string" ? { sub: claims.sub, role: claims.role } : null;
  } catch {
    return null;
  }
}

let decoded: { token: string | null; admin: string | null } = { token: null, admin: null };

/** The logged-in global admin's user id, or null (decoded once per access token). */
function globalAdmin(): string | null {
  const token = authStore.accessToken();
  if (token !== decoded.token) {
    const claims = tokenClaims(token);
    decoded = { token, admin: claims?.role === "global_admin" ? claims.sub : null };
  }
  return decoded.admin;
}

function load(): Stored | null {
  try {
    const parsed = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? "null") as Partial<Stored> | null;
    return parsed && typeof parsed.user === "string"
      ? { user: parsed.user, tenant: typeof parsed.tenant === "string" ? parsed.tenant : null }
      : null;
  } catch {
    return null;
  }
}

let stored: Stored | null = load();
const listeners = new Set<Listener>();

export const tenantScope = {
  /** The tenant a global admin picked; null for "All tenants" and for every other role. */
  tenantId(): string | null {
    const user = globalAdmin();
    return user !== null && stored?.user === user ? stored.tenant : null;
  },

  /** Pick a tenant (null: All tenants) for the logged-in global admin; ignored for other roles. */
  set(tenant: string | null) {
    const user = globalAdmin();
    if (user === null) return;
    stored = { user, tenant };
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // Private mode or storage full: the choice lives in memory only.
    }
    for (const listener of listeners) listener();
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    const unsubscribeAuth = authStore.subscribe(listener); // another user logged in: another choice
    return () => {
      listeners.delete(listener);
      unsubscribeAuth();
    };
  },

  /** Re-read the choice (another tab changed it). */
  reload() {
    stored = load();
    for (const listener of listeners) listener();
  },
};

/** The picked tenant id (null: All tenants, or not a global admin); re-renders on a new pick. */
export function usePickedTenant(): string | null {
  return useSyncExternalStore(tenantScope.subscribe, tenantScope.tenantId, tenantScope.tenantId);
}

/**
 * `url` with `tenant_id` of the picked tenant added (for requests that do not go through `api`,
 * such as XHR uploads); unchanged when there is no pick.
 */
export function withTenant(url: string, tenantId: string | null = tenantScope.tenantId()): string {
  if (!tenantId) return url;
  const parsed = new URL(url, "http://x");
  if (parsed.searchParams.has("tenant_id")) return url;
  parsed.searchParams.set("tenant_id", tenantId);
  return /^https?:/.test(url) ? parsed.toString() : `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY) tenantScope.reload();
  });
}
