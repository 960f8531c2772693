/**
 * Live events of the caller's tenant from `/api/ws` (pipeline steps, order line changes,
 * notifications). One socket per hook; it reconnects with back-off, follows token refreshes and
 * closes on logout. The server ends a stream when access ends, and says how:
 * - `EXPIRED_CLOSE` (4401): the access token ran out (or was not valid): refresh it (the one
 *   shared refresh of `@/lib/auth`) and reconnect with the new token;
 * - `REVOKED_CLOSE` (4403): the user was deactivated, their role or password changed or their
 *   tenant was deactivated: log out, so the shell shows the login page.
 *
 *   useLiveEvents((event) => { if (event.type === "order_line") queryClient.invalidateQueries(...) });
 *   useLiveEvents(onEvent, { jobId });   // only one job's events
 */
import { useEffect, useRef, useState } from "react";
import { authStore, refreshTokens, useTokens } from "@/lib/auth";

export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

export type LiveStatus = "connecting" | "open" | "closed";

export const EXPIRED_CLOSE = 4401;
export const REVOKED_CLOSE = 4403;
const MAX_BACKOFF_MS = 15_000;

export function liveEventsUrl(token: string, jobId?: string | null): string {
  const { protocol, host } = window.location;
  const url = new URL(`${protocol === "https:" ? "wss:" : "ws:"}//${host}/api/ws`);
  url.searchParams.set("token", token);
  if (jobId) url.searchParams.set("job_id", jobId);
  return url.toString();
}

export function useLiveEvents(
  onEvent: (event: LiveEvent) => void,
  options: { jobId?: string | null; enabled?: boolean } = {},
): LiveStatus {
  const { jobId = null, enabled = true } = options;
  const token = useTokens()?.accessToken ?? null;
  const [status, setStatus] = useState<LiveStatus>("closed");
  const handler = useRef(onEvent);

  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    if (!enabled || !token) return;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const connect = () => {
      setStatus("connecting");
      socket = new WebSocket(liveEventsUrl(token, jobId));
      socket.onopen = () => {
        attempt = 0;
        setStatus("open");
      };
      socket.onmessage = (message) => {
        try {
          const event = JSON.parse(String(message.data)) as LiveEvent;
          if (event.type !== "subscribed" && event.type !== "filter") handler.current(event);
        } catch {
          // Not JSON: ignore.
        }
      };
      socket.onclose = (close) => {
        setStatus("closed");
        if (stopped) return;
        if (close.code === REVOKED_CLOSE) {
          // Access has ended. Unless a newer login replaced this token meanwhile, log out.
          if (authStore.accessToken() === token) authStore.clear();
          return;
        }
        if (close.code === EXPIRED_CLOSE || close.code === 1008) {
          // New tokens re-run this effect (and connect with them); a refused refresh logs out.
          void refreshTokens().then((renewed) => {
            if (!renewed && !stopped && authStore.accessToken() === token) retry(); // network trouble
          });
          return;
        }
        retry();
      };
    };
    const retry = () => {
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt++);
      timer = setTimeout(connect, delay);
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [token, jobId, enabled]);

  return authStore.isLoggedIn() ? status : "closed";
}
