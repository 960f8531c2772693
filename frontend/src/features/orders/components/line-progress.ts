/**
 * How a line's render progress and queue place read (see `LineProgress.tsx`): "Frame 3 / 36",
 * "Sample 40 / 128", "about 1 min 30 s left", "2nd of 4 in the queue".
 */
import { formatDuration } from "@/lib/job-document";
import type { Schemas } from "@/lib/api";
import { i18n } from "@/i18n";

export type LineProgressData = Schemas["LineProgress"];
export type LineQueueData = Schemas["LineQueue"];

const PHASES: Record<string, string> = {
  reset: "Preparing the scene",
  import: "Loading the model",
  materials: "Applying materials",
  scene: "Setting up camera and lights",
  gpu: "Choosing the render device",
  coverage: "Checking the framing",
  shadow: "Rendering the floor's shadow",
  render: "Rendering",
  write: "Writing the image",
  encode: "Encoding the video",
  export: "Writing the file",
};

/** What the render is doing now: frame i / N for a turntable, sample n / N for a still. */
export function progressLabel(progress: LineProgressData): string {
  const { phase, frame, frames, sample, samples } = progress;
  if (phase === "encode" && frame && frames) return i18n.t("orders:progress.encodingFrame", { frame, frames });
  if (phase === "render" && frame && frames) return i18n.t("orders:progress.frame", { frame, frames });
  if (phase === "render" && sample && samples) return i18n.t("orders:progress.sample", { sample, samples });
  return PHASES[phase] ? i18n.t(`orders:progress.phase.${phase}`, { defaultValue: PHASES[phase] }) : progress.message;
}

/** Seconds left at `now` (ms), counted down from the last estimate; null while unknown. */
export function secondsLeft(progress: LineProgressData, now: number): number | null {
  if (progress.eta_s === null || progress.eta_s === undefined) return null;
  const since = Math.max(0, (now - Date.parse(progress.updated_at)) / 1000);
  return Math.max(0, progress.eta_s - since);
}

/** "about 1 min 30 s left", "a few seconds left", "" while there is no estimate. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "";
  if (seconds < 5) return i18n.t("orders:progress.fewSeconds");
  return i18n.t("orders:progress.left", { time: formatDuration(seconds >= 60 ? Math.round(seconds / 5) * 5 : Math.round(seconds)) });
}

function ordinal(n: number): string {
  if (i18n.language === "de") return `${n}.`;
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** "Next in the queue", "3rd of 5 in the queue". */
export function queueLabel(queue: LineQueueData): string {
  if (queue.queued <= 1) return i18n.t("orders:progress.nextInQueue");
  return i18n.t("orders:progress.place", { position: ordinal(queue.position), queued: queue.queued });
}
