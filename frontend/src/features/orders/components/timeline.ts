/**
 * Reading a line's job document (`OrderLineRead.job_document`, the server's RenderJobDocument)
 * for the step timeline: step names, durations, the device a render ran on and why it was not a
 * GPU.
 */

import type { JobDocument, JobStep } from "@/lib/job-document";

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
