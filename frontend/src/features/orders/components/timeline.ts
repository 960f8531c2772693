/**
 * Reading a line's job document (`OrderLineRead.job_document`, the server's RenderJobDocument)
 * for the step timeline: step names, durations, the device a render ran on and why it was not a
 * GPU.
 */

export interface JobStep {
  name: string;
  status: string;
  started_at?: string | null;
  completed_at?: string | null;
  duration_s?: number | null;
  attempts?: number;
  engine?: string | null;
  device?: string | null;
  gpu_info?: { fallback?: boolean; reason?: string | null; device_type?: string | null; requested?: string } | null;
  message?: string | null;
  error?: string | null;
}

export interface JobDocument {
  state?: string;
  steps: JobStep[];
  error?: string | null;
  celery_task_id?: string | null;
  pid?: number | null;
  host?: string | null;
}

/** The job document of a line, tolerant of an empty `{}` (a draft line has none yet). */
export function readJobDocument(raw: Record<string, unknown> | null | undefined): JobDocument {
  const doc = (raw ?? {}) as Partial<JobDocument>;
  return {
    state: typeof doc.state === "string" ? doc.state : undefined,
    steps: Array.isArray(doc.steps) ? doc.steps.filter((s): s is JobStep => !!s && typeof s.name === "string") : [],
    error: doc.error ?? null,
    celery_task_id: doc.celery_task_id ?? null,
    pid: doc.pid ?? null,
    host: doc.host ?? null,
  };
}

const STEP_LABELS: Record<string, string> = {
  check_cad: "Check CAD file",
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
  if (known) return known;
  const text = name.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
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

/** Seconds a step took, or has been running for (`now` for running steps). */
export function stepSeconds(step: JobStep, now: number = Date.now()): number | null {
  if (typeof step.duration_s === "number") return step.duration_s;
  if (!step.started_at) return null;
  const start = Date.parse(step.started_at);
  if (Number.isNaN(start)) return null;
  const end = step.completed_at ? Date.parse(step.completed_at) : step.status === "running" ? now : NaN;
  return Number.isNaN(end) ? null : Math.max(0, (end - start) / 1000);
}

export interface DeviceInfo {
  /** What ran it, as the render reported: "GPU OPTIX (RTX 4090)", "CPU (AMD EPYC …)", "EEVEE". */
  label: string;
  kind: "gpu" | "cpu" | "other";
  /** Why a GPU was not used (only when the probe fell back to the CPU). */
  fallbackReason: string | null;
}

/** The device of a render step, or null when the step names none. */
export function deviceInfo(step: Pick<JobStep, "device" | "gpu_info">): DeviceInfo | null {
  const label = step.device?.trim();
  const info = step.gpu_info ?? null;
  if (!label && !info) return null;
  const text = label || (info?.device_type && info.device_type !== "CPU" ? `GPU ${info.device_type}` : "CPU");
  const kind: DeviceInfo["kind"] = /^gpu\b/i.test(text) ? "gpu" : /^cpu\b/i.test(text) ? "cpu" : "other";
  const fallbackReason = info?.fallback ? (info.reason ?? "no GPU found") : null;
  return { label: text, kind, fallbackReason };
}

/** The steps in the order they ran; while the job is live, placeholders for the steps still to come. */
export function timelineSteps(doc: JobDocument, kind: string): JobStep[] {
  const steps = [...doc.steps];
  const renderStep = kind === "glb" ? "export_glb" : kind === "blend" ? "export_blend" : `render_${kind}`;
  const planned = ["check_cad", renderStep, "deliver"];
  if (doc.state !== "pending" && doc.state !== "queued" && doc.state !== "running") return steps;
  for (const name of planned) {
    if (!steps.some((s) => s.name === name)) steps.push({ name, status: "pending" });
  }
  return steps;
}
