/**
 * Reading a job document (`job_document` of a CAD file or an order line: the server's
 * RenderJobDocument, src/automat/pipeline/job_document.py) and naming its steps. One copy for
 * every feature that shows steps.
 */
import { i18n } from "@/i18n";

export interface GpuInfo {
  fallback?: boolean;
  reason?: string | null;
  device_type?: string | null;
  requested?: string;
}

export interface JobStep {
  name: string;
  status: string;
  started_at?: string | null;
  completed_at?: string | null;
  duration_s?: number | null;
  attempts?: number;
  engine?: string | null;
  device?: string | null;
  gpu_info?: GpuInfo | null;
  message?: string | null;
  error?: string | null;
}

export interface JobDocument {
  state?: string;
  steps: JobStep[];
  error?: string | null;
  created_at?: string;
  celery_task_id?: string | null;
  pid?: number | null;
  host?: string | null;
}

/** The server's ProcessStep labels (src/automat/pipeline/steps.py). */
const STEP_LABELS: Record<string, string> = {
  upload_step: "Upload STEP file",
  parse_excel: "Import Excel product list",
  check_cad: "Check CAD file",
  extract_metadata: "Extract CAD metadata",
  occ_glb_export: "Convert STEP to GLB",
  auto_materials: "Assign materials",
  render_thumbnail: "Render thumbnail",
  render_still: "Render still",
  render_turntable: "Render turntable",
  export_glb: "Export GLB",
  export_blend: "Export .blend",
  deliver: "Deliver media",
};

/** The step's name for people (the server's labels; unknown steps spelled out). */
export function stepLabel(name: string): string {
  const known = STEP_LABELS[name];
  if (known) return i18n.t(`ui:steps.${name}`, { defaultValue: known });
  const text = name.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** The readable part of a job document; anything unexpected (or `{}` of a draft) is left out. */
export function readJobDocument(raw: unknown): JobDocument {
  if (!raw || typeof raw !== "object") return { steps: [] };
  const doc = raw as Record<string, unknown>;
  const steps = Array.isArray(doc.steps)
    ? doc.steps.filter(
        (step): step is JobStep =>
          !!step && typeof step === "object" && typeof (step as JobStep).name === "string" && typeof (step as JobStep).status === "string",
      )
    : [];
  return {
    state: text(doc.state) ?? undefined,
    steps,
    error: text(doc.error),
    created_at: text(doc.created_at) ?? undefined,
    celery_task_id: text(doc.celery_task_id),
    pid: typeof doc.pid === "number" ? doc.pid : null,
    host: text(doc.host),
  };
}

/** Seconds a step took, or has been running for (`now` for running steps); null when unknown. */
export function stepSeconds(step: JobStep, now: number = Date.now()): number | null {
  if (typeof step.duration_s === "number") return step.duration_s;
  if (!step.started_at) return null;
  const start = Date.parse(step.started_at);
  if (Number.isNaN(start)) return null;
  const end = step.completed_at ? Date.parse(step.completed_at) : step.status === "running" ? now : NaN;
  return Number.isNaN(end) ? null : Math.max(0, (end - start) / 1000);
}

/** "0.4 s", "12 s", "2 min 05 s", "1 h 02 min"; "" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    const min = Math.floor(total / 60);
    return `${min} min ${String(total % 60).padStart(2, "0")} s`;
  }
  const hours = Math.floor(total / 3600);
  return `${hours} h ${String(Math.floor((total % 3600) / 60)).padStart(2, "0")} min`;
}
