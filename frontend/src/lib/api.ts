/**
 * The typed API client. Paths, parameters and bodies are checked against `src/api/schema.ts`,
 * which `make openapi` generates from Automat's OpenAPI schema.
 *
 *   const me = await unwrap(api.GET("/api/auth/me"));
 *   await unwrap(api.POST("/api/orders/{order_id}/submit", { params: { path: { order_id } } }));
 *
 * Every request carries the bearer token of the auth store. A 401 `token_expired` or
 * `not_authenticated` triggers one refresh (shared by concurrent requests) and one retry.
 * Errors are thrown as `ApiError` with Automat's stable `code` and its `message`.
 *
 * A global admin who picked a tenant (`lib/tenant-scope.ts`) acts in it: every request carries
 * `tenant_id` (a query parameter; in the JSON body where the API takes it there), unless the call
 * names one itself.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "@/api/schema";
import { i18n } from "@/i18n";
import { authStore, refreshTokens } from "@/lib/auth";
import { tenantScope, withTenant } from "@/lib/tenant-scope";

/** The API's models by name: `Schemas["Me"]`, `Schemas["OrderRead"]`, … */
export type Schemas = components["schemas"];

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Seconds to wait, from `details.retry_after_s` of a 429 (null when not given). */
  get retryAfterSeconds(): number | null {
    const value = (this.details as { retry_after_s?: unknown } | undefined)?.retry_after_s;
    return typeof value === "number" ? value : null;
  }
}

const REFRESHABLE = new Set(["token_expired", "not_authenticated"]);

/** Turn any error body (Automat's format or not) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (error && typeof error.code === "string") {
    return new ApiError(status, error.code, error.message ?? error.code, error.details);
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status}.`);
}

async function errorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as Partial<ErrorBody>;
    return body.error?.code ?? null;
  } catch {
    return null;
  }
}

function withToken(request: Request): Request {
  const token = authStore.accessToken();
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  else request.headers.delete("Authorization");
  return request;
}

/**
 * fetch with the bearer token and one refresh-and-retry on an expired session. Use it directly
 * for what openapi-fetch does not cover (downloads as blobs); XHR uploads use `authHeader()`.
 */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const spare = request.clone(); // the body can be sent once; keep a copy for the retry
  const response = await fetch(withToken(request));
  if (response.status !== 401 || !authStore.isLoggedIn() || isAuthEndpoint(request.url)) {
    return response;
  }
  const code = await errorCode(response);
  if (!code || !REFRESHABLE.has(code)) {
    if (code === "token_revoked") authStore.clear();
    return response;
  }
  if (!(await refreshTokens())) return response;
  return fetch(withToken(spare));
}

function isAuthEndpoint(url: string): boolean {
  const path = new URL(url, "http://x").pathname;
  return path === "/api/auth/login" || path === "/api/auth/refresh";
}

/** `{ Authorization: "Bearer …" }` for XHR uploads (which need progress events fetch lacks). */
/**
 * GET a file of the API that needs the bearer token (thumbnails, GLBs, media downloads) with
 * ``authFetch``; a failure becomes an ``ApiError`` (``network_error`` when Automat is unreachable).
 */
export async function fetchFile(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await authFetch(url);
  } catch (cause) {
    throw new ApiError(0, "network_error", "Automat cannot be reached. Check your connection.", cause);
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw toApiError(response.status, body);
  }
  return response;
}

export function authHeader(): Record<string, string> {
  const token = authStore.accessToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function origin(): string {
  return typeof window !== "undefined" ? window.location.origin : "http://localhost";
}

/** Requests that take a global admin's tenant in the JSON body (`tenant_id` of the schema). */
const BODY_TENANT: ReadonlyArray<readonly [string, RegExp]> = [
  ["POST", /^\/api\/orders$/],
  ["POST", /^\/api\/products$/],
  ["POST", /^\/api\/users$/],
  ["POST", /^\/api\/materials$/],
  ["POST", /^\/api\/material-aliases(\/preview|\/reset-defaults(\/preview)?)?$/],
  ["PUT", /^\/api\/material-aliases\/order$/],
  ["PUT", /^\/api\/settings\/[^/]+$/],
];

/** Paths a tenant pick does not apply to: the session itself, and the tenants (the picker's list). */
const UNSCOPED = /^\/api\/(auth|tenants)(\/|$)/;

export function takesBodyTenant(method: string, path: string): boolean {
  return BODY_TENANT.some(([m, pattern]) => m === method.toUpperCase() && pattern.test(path));
}

/**
 * The request acting in `tenantId` (the global admin's pick): `tenant_id` in the query, and in a
 * JSON body the API reads it from. Unchanged without a pick, outside /api, or when the call named a
 * tenant itself.
 */
export async function scopeRequest(request: Request, tenantId: string | null = tenantScope.tenantId()): Promise<Request> {
  if (!tenantId) return request;
  const url = new URL(request.url);
  if (!url.pathname.startsWith("/api/") || UNSCOPED.test(url.pathname)) return request;
  const scopedUrl = withTenant(url.toString(), tenantId);
  let body: BodyInit | null = null;
  if (request.body !== null) {
    body = await request.blob();
    const isJson = (request.headers.get("content-type") ?? "").includes("application/json");
    if (isJson && takesBodyTenant(request.method, url.pathname)) {
      const parsed = JSON.parse(await body.text()) as { tenant_id?: unknown } | null;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && parsed.tenant_id == null) {
        body = JSON.stringify({ ...parsed, tenant_id: tenantId });
      }
    }
  }
  return new Request(scopedUrl, { method: request.method, headers: request.headers, body, signal: request.signal });
}

export const api = createClient<paths>({
  baseUrl: origin(),
  fetch: async (request: Request) => authFetch(await scopeRequest(request)),
});

/**
 * Await an openapi-fetch call and return its data, or throw an ApiError. Network failures
 * become `network_error`.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, "network_error", "Automat cannot be reached. Check your connection.", cause);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/**
 * An error's `details` as values a message can interpolate: numbers and words as they are, lists
 * joined ("cycles, eevee"); nested objects are left out (no message shows them).
 */
export function detailValues(details: unknown): Record<string, string | number> {
  if (!details || typeof details !== "object" || Array.isArray(details)) return {};
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (typeof value === "string" || typeof value === "number") values[key] = value;
    else if (typeof value === "boolean") values[key] = String(value);
    else if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) {
      values[key] = value.join(", ");
    }
  }
  return values;
}

/**
 * A message for people in the UI's language: the errors catalogue's words for the error's code
 * (`src/i18n/errors/{en,de}.json`, `t("errors:<code>", details)`, or `<code>_<reason>` when the
 * details name a reason the catalogue words), the server's own message for a
 * code the catalogue does not know, a plain sentence for anything else.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "network_error") return i18n.t("errors:network");
    if (/^http_\d+$/.test(error.code)) return i18n.t("errors:unknown", { code: error.status });
    const key = `errors:${error.code}`;
    if (i18n.exists(key)) {
      // A `reason` in the details picks a more specific message when the catalogue has one
      // (`<code>_<reason>`, i18next's context), else the code's own.
      const values = detailValues(error.details);
      return i18n.t(key, { ...values, code: error.code, context: typeof values.reason === "string" ? values.reason : undefined });
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return i18n.t("errors:unknown", { code: "?" });
}
