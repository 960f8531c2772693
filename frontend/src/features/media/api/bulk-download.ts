/**
 * The bulk download: `POST /api/media/downloads` with `{ asset_ids: [...] }` (the selection) or
 * `{ filters: {...} }` (every asset the list's filters match). The API checks every asset first
 * (404: nothing is sent), then either streams a ZIP (200, `Content-Length` known up front, so the
 * progress is exact) or, above its size limit, builds the archive in a worker and answers 202
 * with the archive job (`useArchiveJob` follows its progress; a notification brings the link too).
 *
 *   const outcome = await bulkDownload({ asset_ids }, { onProgress: (done, total) => … });
 *   outcome.kind === "saved" | "queued" | "unavailable"
 *
 * "unavailable": this server has no bulk download (404 of an unknown route, or 405); the page
 * then says so instead of failing.
 */
import { useQuery } from "@tanstack/react-query";
import { ApiError, authFetch, fetchFile, scopeRequest, toApiError } from "@/lib/api";
import { withTenant } from "@/lib/tenant-scope";
import type { MediaFilters } from "../components/media-search";
import { fileNameFromDisposition, saveBlob } from "@/lib/files";

export const BULK_DOWNLOAD_PATH = "/api/media/downloads";

export type BulkRequest = { asset_ids: string[] } | { filters: MediaFilters };

/** The archive job of a 202 (`GET /api/media/downloads/{id}`; the fields this page shows). */
export interface ArchiveJob {
  id?: string;
  /** queued, building, ready, failed or expired */
  status?: string;
  file_count?: number;
  /** 0-1: the share of the archive written. */
  progress?: number;
  file_name?: string;
  error?: string | null;
  /** When ready: a signed link that works without a login until `expires_at`. */
  download_url?: string | null;
  expires_at?: string | null;
  [key: string]: unknown;
}

/** Whether a worker is still building the archive (poll on). */
export function isBuilding(job: ArchiveJob | undefined): boolean {
  return !!job && (job.status === "queued" || job.status === "building");
}

/** A worker-built archive's state, polled every 2 s while it is being built. */
export function useArchiveJob(initial: ArchiveJob | null) {
  const id = initial?.id;
  return useQuery({
    queryKey: ["media", "download", id ?? ""],
    queryFn: async () => (await fetchFile(`${BULK_DOWNLOAD_PATH}/${encodeURIComponent(id as string)}`)).json() as Promise<ArchiveJob>,
    enabled: !!id,
    initialData: initial ?? undefined,
    refetchInterval: (query) => (isBuilding(query.state.data) ? 2000 : false),
    staleTime: 0,
  });
}

export type BulkOutcome =
  | { kind: "saved"; fileName: string; bytes: number }
  | { kind: "queued"; job: ArchiveJob }
  | { kind: "unavailable" };

export interface BulkOptions {
  /** A global admin's tenant filter over All tenants (`tenant_id` in the query, as for the list). */
  tenantId?: string;
  /** Bytes received so far and the archive's size (null when the server did not say). */
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

/** "media-2025-01-31.zip" when the server names no file. */
export function defaultZipName(now = new Date()): string {
  return `media-${now.toISOString().slice(0, 10)}.zip`;
}

/** Whether an error answer means "no such endpoint here" rather than a refusal of this request. */
export function isMissingEndpoint(status: number, body: unknown): boolean {
  if (status === 405) return true;
  if (status !== 404) return false;
  // An unknown route is Starlette's 404 ("Not Found"); the endpoint's own 404 names what is missing.
  const error = (body as { error?: { code?: string; message?: string }; detail?: string } | undefined) ?? {};
  const message = error.error?.message ?? error.detail ?? "";
  return message === "Not Found" || message === "";
}

/** Read a response body in chunks, reporting progress; the chunks as one Blob. */
export async function readWithProgress(response: Response, onProgress?: BulkOptions["onProgress"]): Promise<Blob> {
  const length = Number(response.headers.get("Content-Length"));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const type = response.headers.get("Content-Type") ?? "application/zip";
  if (!response.body) {
    const blob = await response.blob();
    onProgress?.(blob.size, total ?? blob.size);
    return blob;
  }
  const reader = response.body.getReader();
  const chunks: BlobPart[] = [];
  let received = 0;
  onProgress?.(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received, total);
  }
  return new Blob(chunks, { type });
}

export async function bulkDownload(body: BulkRequest, options: BulkOptions = {}): Promise<BulkOutcome> {
  const url = new URL(options.tenantId ? withTenant(BULK_DOWNLOAD_PATH, options.tenantId) : BULK_DOWNLOAD_PATH, window.location.origin);
  let response: Response;
  try {
    const request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/zip, application/json" },
      body: JSON.stringify(body),
      signal: options.signal,
    });
    response = await authFetch(await scopeRequest(request));
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network_error", "Automat cannot be reached. Check your connection.", cause);
  }
  if (response.status === 202) {
    let job: ArchiveJob = {};
    try {
      job = (await response.json()) as ArchiveJob;
    } catch {
      // a 202 without a body is still a queued archive
    }
    return { kind: "queued", job };
  }
  if (!response.ok) {
    let error: unknown;
    try {
      error = await response.json();
    } catch {
      error = undefined;
    }
    if (isMissingEndpoint(response.status, error)) return { kind: "unavailable" };
    throw toApiError(response.status, error);
  }
  const blob = await readWithProgress(response, options.onProgress);
  const fileName = fileNameFromDisposition(response.headers.get("Content-Disposition")) ?? defaultZipName();
  saveBlob(blob, fileName);
  return { kind: "saved", fileName, bytes: blob.size };
}
