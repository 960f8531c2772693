/** The job document of a CAD file (`job_document`), as the backend's RenderJobDocument writes it. */

export interface JobStep {
  name: string;
  status: string;
  started_at?: string | null;
  completed_at?: string | null;
  duration_s?: number | null;
  attempts?: number;
  message?: string | null;
  error?: string | null;
  engine?: string | null;
  device?: string | null;
}

export interface JobDocument {
  state?: string;
  steps: JobStep[];
  error?: string | null;
  created_at?: string;
}

/** The backend's ProcessStep labels (src/automat/pipeline/steps.py). */
export const STEP_LABELS: Record<string, string> = {
  upload_step: "Upload STEP file",
  check_cad: "Check CAD file",
  occ_glb_export: "Convert STEP to GLB",
  extract_metadata: "Extract CAD metadata",
  auto_materials: "Assign materials",
  render_thumbnail: "Render thumbnail",
};

export function stepLabel(name: string): string {
  return STEP_LABELS[name] ?? name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** The job document's readable part; anything unexpected becomes an empty document. */
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
    state: typeof doc.state === "string" ? doc.state : undefined,
    steps,
    error: typeof doc.error === "string" ? doc.error : null,
    created_at: typeof doc.created_at === "string" ? doc.created_at : undefined,
  };
}

/** Seconds a running step has taken so far (null when it has no start). */
export function elapsedSeconds(step: JobStep, now: number = Date.now()): number | null {
  if (step.duration_s != null) return step.duration_s;
  if (!step.started_at) return null;
  const started = Date.parse(step.started_at);
  return Number.isFinite(started) ? Math.max(0, (now - started) / 1000) : null;
}
