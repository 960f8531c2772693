/**
 * The upload queue of the CAD library: one entry per picked or dropped file, uploaded a few at a
 * time, each with its progress and its outcome. A pure reducer, so it is tested without a DOM.
 */
import { i18n } from "@/i18n";
export type UploadState = "queued" | "uploading" | "done" | "failed";

export interface UploadItem {
  id: string;
  file: File;
  name: string;
  size: number;
  loaded: number;
  state: UploadState;
  /** The server's message when it failed. */
  error?: string;
  /** The CAD file it became (done). */
  cadId?: string;
  /** The tenant had this content already. */
  duplicate?: boolean;
}

export type UploadAction =
  | { type: "add"; files: File[]; ids: string[] }
  | { type: "start"; id: string }
  | { type: "progress"; id: string; loaded: number }
  | { type: "done"; id: string; cadId: string; duplicate: boolean }
  | { type: "fail"; id: string; error: string }
  | { type: "retry"; id: string }
  | { type: "dismiss"; id: string }
  | { type: "clearFinished" };

/** Uploads at once: enough to keep the line busy, few enough to show progress that moves. */
export const MAX_PARALLEL_UPLOADS = 2;

function update(items: UploadItem[], id: string, change: (item: UploadItem) => UploadItem): UploadItem[] {
  return items.map((item) => (item.id === id ? change(item) : item));
}

export function uploadReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "add":
      return [
        ...items,
        ...action.files.map((file, index) => ({
          id: action.ids[index] ?? `${file.name}-${index}`,
          file,
          name: file.name,
          size: file.size,
          loaded: 0,
          state: "queued" as const,
        })),
      ];
    case "start":
      return update(items, action.id, (item) =>
        item.state === "queued" ? { ...item, state: "uploading", loaded: 0 } : item,
      );
    case "progress":
      return update(items, action.id, (item) =>
        item.state === "uploading" ? { ...item, loaded: Math.min(item.size, Math.max(0, action.loaded)) } : item,
      );
    case "done":
      return update(items, action.id, (item) => ({
        ...item,
        state: "done",
        loaded: item.size,
        cadId: action.cadId,
        duplicate: action.duplicate,
        error: undefined,
      }));
    case "fail":
      return update(items, action.id, (item) => ({ ...item, state: "failed", error: action.error }));
    case "retry":
      return update(items, action.id, (item) =>
        item.state === "failed" ? { ...item, state: "queued", loaded: 0, error: undefined } : item,
      );
    case "dismiss":
      return items.filter((item) => item.id !== action.id || item.state === "uploading");
    case "clearFinished":
      return items.filter((item) => item.state === "queued" || item.state === "uploading");
  }
}

/** The queued items to start now, oldest first, keeping at most `parallel` uploads running. */
export function nextToStart(items: readonly UploadItem[], parallel: number = MAX_PARALLEL_UPLOADS): UploadItem[] {
  const running = items.filter((item) => item.state === "uploading").length;
  const free = Math.max(0, parallel - running);
  return items.filter((item) => item.state === "queued").slice(0, free);
}

/** 0..1 of one item (a file of 0 bytes counts as sent once it is done). */
export function itemFraction(item: UploadItem): number {
  if (item.state === "done") return 1;
  return item.size > 0 ? item.loaded / item.size : 0;
}

export function queueSummary(items: readonly UploadItem[]): { active: number; done: number; failed: number } {
  return {
    active: items.filter((item) => item.state === "queued" || item.state === "uploading").length,
    done: items.filter((item) => item.state === "done").length,
    failed: items.filter((item) => item.state === "failed").length,
  };
}

/** What the server says about the CAD file an upload became (from the library's list). */
export interface UploadedFile {
  status: string;
  error?: string | null;
  warnings?: ReadonlyArray<{ severity: string }>;
}

export type AfterUploadTone = "default" | "success" | "warning" | "danger";

/**
 * The note under a finished upload, following the file's processing: "processing starts now" only
 * until the server says otherwise, then "Processing…", "Ready", "Ready with warnings" or why it failed.
 */
export function afterUploadNote(duplicate: boolean, file: UploadedFile | undefined): { text: string; tone: AfterUploadTone } {
  const prefix = duplicate ? i18n.t("cad:upload.note.duplicate") : i18n.t("cad:upload.note.uploaded");
  if (!file) {
    return { text: duplicate ? i18n.t("cad:upload.note.duplicateOnly", { prefix }) : i18n.t("cad:upload.note.startsNow", { prefix }), tone: "default" };
  }
  switch (file.status) {
    case "uploaded":
      return { text: i18n.t("cad:upload.note.waiting", { prefix }), tone: "default" };
    case "processing":
      return { text: i18n.t("cad:upload.note.processing", { prefix }), tone: "default" };
    case "ready": {
      const warnings = (file.warnings ?? []).filter((warning) => warning.severity === "warning").length;
      return warnings > 0
        ? { text: i18n.t("cad:upload.note.readyWarnings", { prefix, count: warnings }), tone: "warning" }
        : { text: i18n.t("cad:upload.note.ready", { prefix }), tone: "success" };
    }
    case "failed":
      return {
        text: file.error ? i18n.t("cad:upload.note.failedWhy", { prefix, error: file.error }) : i18n.t("cad:upload.note.failed", { prefix }),
        tone: "danger",
      };
    default:
      return { text: i18n.t("cad:upload.note.other", { prefix, status: file.status }), tone: "default" };
  }
}
