/** The expected duration of an action, in words: "≈ 4 min" (seconds under a minute, hours above an hour). */
export function roundDuration(seconds: number): { value: number; unit: "s" | "min" | "h" } {
  if (seconds < 60) return { value: Math.max(1, Math.round(seconds)), unit: "s" };
  if (seconds < 3600) return { value: Math.round(seconds / 60), unit: "min" };
  return { value: Math.round((seconds / 3600) * 10) / 10, unit: "h" };
}

/** How far a job is: done + failed of total, 0..100. */
export function percentDone(job: { total: number; done: number; failed: number }): number {
  if (job.total <= 0) return 0;
  return Math.min(100, Math.round(((job.done + job.failed) / job.total) * 100));
}

/** The minutes without a sign of life of a job failed as stalled (its worker was lost), else null. */
export function stalledMinutes(job: { progress?: Record<string, unknown> | null }): number | null {
  const stalled = job.progress?.stalled;
  if (!stalled || typeof stalled !== "object") return null;
  const minutes = (stalled as { minutes?: unknown }).minutes;
  return typeof minutes === "number" ? minutes : null;
}
