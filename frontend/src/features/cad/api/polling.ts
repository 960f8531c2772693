/**
 * When the CAD pages ask the server again. Files that are uploaded or processing move within
 * seconds; a file that just became ready still waits for its thumbnail (rendered after `ready`),
 * so it is watched a little longer, less often. Live events refresh sooner where the socket is up.
 */
import type { Schemas } from "@/lib/api";

export const ACTIVE_POLL_MS = 2_000;
export const THUMBNAIL_POLL_MS = 5_000;
/** How long after a file became ready its thumbnail is waited for. */
export const THUMBNAIL_WAIT_MS = 5 * 60_000;

type Polled = Pick<Schemas["CadFileSummary"], "status" | "thumbnail" | "updated_at">;

export function isActive(status: string): boolean {
  return status === "uploaded" || status === "processing";
}

/** Ready, no thumbnail yet, and recent enough that one is probably being rendered. */
export function awaitsThumbnail(file: Polled, now: number = Date.now()): boolean {
  if (file.status !== "ready" || file.thumbnail) return false;
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
