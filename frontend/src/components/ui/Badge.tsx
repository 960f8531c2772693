import type { HTMLAttributes } from "react";
import { i18n } from "@/i18n";
import { useTranslation } from "react-i18next";
import { cx } from "./cx";

export type Tone = "neutral" | "info" | "progress" | "success" | "danger" | "muted";

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: Tone;
}

export function Badge({ tone = "neutral", className, ...rest }: BadgeProps) {
  return <span className={cx("ui-badge", tone !== "neutral" && `ui-badge--${tone}`, className)} {...rest} />;
}

/**
 * The tone of every status the API reports (orders, render jobs, CAD files, imports, media).
 * One table, so "failed" looks the same everywhere. Unknown statuses are neutral.
 */
export const STATUS_TONES: Record<string, Tone> = {
  // orders
  draft: "neutral",
  submitted: "info",
  processing: "progress",
  completed: "success",
  completed_with_failures: "progress", // an order's outcome: done, but some lines failed or were cancelled
  rejected: "danger",
  cancelled: "muted",
  // render jobs and pipeline steps
  pending: "neutral",
  queued: "info",
  running: "progress",
  failed: "danger",
  skipped: "muted",
  // CAD files, render templates
  uploaded: "info",
  ready: "success",
  validating: "progress",
  invalid: "danger",
  // rows of a product import log (pending/processing/completed/failed above are the import's)
  imported: "success",
  updated: "info",
  warning: "progress",
};

/** Statuses that are still moving; their dot pulses. */
const LIVE = new Set(["processing", "running", "queued", "submitted", "validating"]);

export function statusTone(status: string): Tone {
  return STATUS_TONES[status] ?? "neutral";
}

/** A status in the UI's language ("completed_with_failures" → "Completed with failures"). */
export function statusLabel(status: string): string {
  const text = status.replace(/_/g, " ");
  const fallback = text.charAt(0).toUpperCase() + text.slice(1);
  return i18n.t(`ui:status.${status}`, { defaultValue: fallback });
}

export interface StatusPillProps {
  status: string;
  /** Overrides the label derived from the status. */
  label?: string;
  className?: string;
}

export function StatusPill({ status, label, className }: StatusPillProps) {
  const tone = statusTone(status);
  useTranslation("ui"); // re-render on a change of language
  return (
    <span
      className={cx("ui-badge", tone !== "neutral" && `ui-badge--${tone}`, LIVE.has(status) && "ui-pill--live", className)}
      data-status={status}
      data-tone={tone}
    >
      <span className="ui-pill__dot" aria-hidden="true" />
      {label ?? statusLabel(status)}
    </span>
  );
}
