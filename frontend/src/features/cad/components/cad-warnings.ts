/**
 * Reading what the API says about a converted file beyond its status: the warnings of "ready with
 * warnings" (and notes of severity info, which are not problems), and the thumbnail's state.
 */
import type { Schemas } from "@/lib/api";
import { i18n } from "@/i18n";

export type CadWarning = Schemas["CadWarningRead"];
export type ThumbnailStatus = Schemas["ThumbnailStatus"];

/** The warnings that make a file "ready with warnings" (notes of severity info left out). */
export function problems(warnings: readonly CadWarning[] | undefined): CadWarning[] {
  return (warnings ?? []).filter((warning) => warning.severity === "warning");
}

/** Notes of severity info: worth knowing, nothing wrong. */
export function notes(warnings: readonly CadWarning[] | undefined): CadWarning[] {
  return (warnings ?? []).filter((warning) => warning.severity !== "warning");
}

/** The text of the list's badge ("2 warnings"), or null for a file without problems. */
export function warningBadge(warnings: readonly CadWarning[] | undefined): string | null {
  const count = problems(warnings).length;
  return count === 0 ? null : i18n.t("cad:status.warnings", { count });
}

export interface ThumbnailNote {
  state: ThumbnailStatus["state"];
  text: string;
  failed: boolean;
}

/**
 * What the pages say about a thumbnail that is not (yet) there: queued once the file is ready,
 * rendering, or failed with the server's reason. Nothing while the file is still processing (its
 * status says enough), nothing once the thumbnail is ready, nothing when none will be made.
 */
export function thumbnailNote(status: ThumbnailStatus | null | undefined, fileStatus: string): ThumbnailNote | null {
  if (!status) return null;
  switch (status.state) {
    case "pending":
      return fileStatus === "ready" ? { state: "pending", text: i18n.t("cad:status.thumbQueued"), failed: false } : null;
    case "rendering":
      return { state: "rendering", text: i18n.t("cad:status.thumbRendering"), failed: false };
    case "failed":
      return { state: "failed", text: status.reason ? i18n.t("cad:status.thumbFailedWhy", { reason: status.reason }) : i18n.t("cad:status.thumbFailed"), failed: true };
    default:
      return null;
  }
}
