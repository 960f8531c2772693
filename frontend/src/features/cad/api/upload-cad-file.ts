/**
 * POST /api/cad-files with XHR (fetch has no upload progress): multipart field `file`, the
 * bearer token from `authHeader()`, one token refresh and retry on an expired session. The
 * server's error (413 too large, 415 not a STEP file, …) comes back as an ApiError with its
 * own message.
 */
import { ApiError, authHeader, toApiError } from "@/lib/api";
import { withTenant } from "@/lib/tenant-scope";
import type { Schemas } from "@/lib/api";
import { refreshTokens } from "@/lib/auth";

export interface UploadResult {
  cad: Schemas["CadFileRead"];
  /** False when the tenant had this content already (the server answers 200 with that file). */
  created: boolean;
}

export interface UploadOptions {
  /** Bytes sent so far and the total. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  /** For tests. */
  createXhr?: () => XMLHttpRequest;
}

interface Answer {
  status: number;
  body: unknown;
}

function send(file: File, options: UploadOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = options.createXhr?.() ?? new XMLHttpRequest();
    xhr.open("POST", withTenant("/api/cad-files")); // a global admin's picked tenant
    for (const [name, value] of Object.entries(authHeader())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "network_error", "The upload was interrupted. Check your connection and try again."));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled."));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } } | undefined)?.error?.code;
}

export async function uploadCadFile(file: File, options: UploadOptions = {}): Promise<UploadResult> {
  let answer = await send(file, options);
  const code = errorCode(answer.body);
  if (answer.status === 401 && (code === "token_expired" || code === "not_authenticated") && (await refreshTokens())) {
    options.onProgress?.(0, file.size);
    answer = await send(file, options);
  }
  if (answer.status === 200 || answer.status === 201) {
    return { cad: answer.body as Schemas["CadFileRead"], created: answer.status === 201 };
  }
  if (!errorCode(answer.body) && PLAIN_ERRORS[answer.status]) {
    throw new ApiError(answer.status, `http_${answer.status}`, PLAIN_ERRORS[answer.status] as string);
  }
  throw toApiError(answer.status, answer.body);
}

/** Said when a proxy (not Automat) answers without Automat's error body. */
const PLAIN_ERRORS: Record<number, string> = {
  413: "The file is larger than the upload limit.",
  415: "This is not a STEP file.",
};
