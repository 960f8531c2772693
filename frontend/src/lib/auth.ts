/**
 * The auth store: the access and refresh tokens of the logged-in user, kept in localStorage so a
 * reload stays logged in. `refreshTokens()` trades the refresh token for a new pair; concurrent
 * callers share one request (each refresh token works once on the server), and a failed refresh
 * logs out.
 */
import { useSyncExternalStore } from "react";

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = "automat.auth";
type Listener = () => void;

function load(): Tokens | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    return parsed.accessToken && parsed.refreshToken
      ? { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken }
      : null;
  } catch {
    return null;
  }
}

let tokens: Tokens | null = load();
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

function emit() {
  for (const listener of listeners) listener();
}

export const authStore = {
  get: (): Tokens | null => tokens,
  accessToken: (): string | null => tokens?.accessToken ?? null,
  isLoggedIn: (): boolean => tokens !== null,

  set(next: Tokens | null) {
    tokens = next;
    try {
      if (next) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(next));
      else globalThis.localStorage?.removeItem(STORAGE_KEY);
    } catch {
      // Private mode or storage full: the session lives in memory only.
    }
    emit();
  },

  clear() {
    authStore.set(null);
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** Re-read the tokens (another tab logged in or out). */
  reload() {
    tokens = load();
    emit();
  },
};

/**
 * Trade the refresh token for a new pair. Resolves true when new tokens are stored, false when
 * there was no refresh token or the server refused it (then the user is logged out).
 * Concurrent calls share one request.
 */
export function refreshTokens(fetchImpl: typeof fetch = globalThis.fetch): Promise<boolean> {
  if (refreshing) return refreshing;
  const current = tokens;
  if (!current) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const response = await fetchImpl("/api/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
      });
      if (!response.ok) {
        // Only log out if nobody logged in anew meanwhile.
        if (tokens === current) authStore.clear();
        return false;
      }
      const body = (await response.json()) as { access_token: string; refresh_token: string };
      authStore.set({ accessToken: body.access_token, refreshToken: body.refresh_token });
      return true;
    } catch {
      return false; // Network trouble: keep the tokens, the next call may succeed.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The current tokens (null when logged out); re-renders on login, refresh and logout. */
export function useTokens(): Tokens | null {
  return useSyncExternalStore(authStore.subscribe, authStore.get, authStore.get);
}

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY) authStore.reload();
  });
}
