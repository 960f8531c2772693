/**
 * When the CAD pages ask the server again. Files that are uploaded or processing move within
 * seconds; a file that just became ready still waits for its thumbnail (rendered after `ready`):
 * while the server says the thumbnail is pending or rendering it is watched a little longer, less
 * often, and polling stops as soon as the thumbnail is ready or failed (or none will be made).
 * Live events refresh sooner where the socket is up.
 */
import type { Schemas } from "@/lib/api";

export const ACTIVE_POLL_MS = 2_000;
export const THUMBNAIL_POLL_MS = 5_000;
/** How long after its last change a pending or rendering thumbnail is waited for (a lost render). */
export const THUMBNAIL_WAIT_MS = 5 * 60_000;

type Polled = Pick<Schemas["CadFileSummary"], "status" | "thumbnail_status" | "updated_at">;

export function isActive(status: string): boolean {
  return status === "uploaded" || status === "processing";
}

/** The thumbnail will not change any more: ready, failed, or none will be made. */
export function thumbnailSettled(file: Pick<Polled, "thumbnail_status">): boolean {
  const state = file.thumbnail_status?.state;
  return state === undefined || state === "ready" || state === "failed";
}

/** Ready, its thumbnail pending or rendering, and recent enough that it is still coming. */
export function awaitsThumbnail(file: Polled, now: number = Date.now()): boolean {
  if (file.status !== "ready" || thumbnailSettled(file)) return false;
  const changed = Date.parse(file.updated_at);
  return Number.isFinite(changed) && now - changed < THUMBNAIL_WAIT_MS;
}

/** The refetch interval for a set of files: fast while any is processing, false when all rest. */
export function pollInterval(files: readonly Polled[] | undefined, now: number = Date.now()): number | false {
  if (!files?.length) return false;
  if (files.some((file) => isActive(file.status))) return ACTIVE_POLL_MS;
  if (files.some((file) => awaitsThumbnail(file, now))) return THUMBNAIL_POLL_MS;
  return false;
}
