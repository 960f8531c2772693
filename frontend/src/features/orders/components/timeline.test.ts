import { readJobDocument } from "@/lib/job-document";
import { deviceInfo, timelineSteps } from "./timeline";

describe("deviceInfo", () => {
  it("tells GPU from CPU by the device label", () => {
    expect(deviceInfo({ device: "GPU OPTIX (NVIDIA RTX A6000)", gpu_info: { fallback: false } })).toEqual({
      label: "GPU OPTIX (NVIDIA RTX A6000)",
      kind: "gpu",
      fallbackReason: null,
    });
    expect(
      deviceInfo({ device: "CPU (AMD EPYC 7763)", gpu_info: { fallback: true, reason: "no OPTIX/CUDA/HIP/ONEAPI device found" } }),
    ).toEqual({ label: "CPU (AMD EPYC 7763)", kind: "cpu", fallbackReason: "no OPTIX/CUDA/HIP/ONEAPI device found" });
  });

  it("gives no reason when the CPU was asked for, and none without a device", () => {
    expect(deviceInfo({ device: "CPU (x)", gpu_info: { fallback: false, reason: "cycles_device=cpu" } })?.fallbackReason).toBeNull();
    expect(deviceInfo({ device: null, gpu_info: null })).toBeNull();
    expect(deviceInfo({ device: "EEVEE" })?.kind).toBe("other");
    expect(deviceInfo({ gpu_info: { device_type: "CUDA" } })?.label).toBe("GPU CUDA");
  });
});

describe("job document", () => {
  it("reads an empty document of a draft line", () => {
    expect(readJobDocument({})).toEqual({ state: undefined, steps: [], error: null, celery_task_id: null, pid: null, host: null });
  });

  it("lists steps to come after those that ran", () => {
    const doc = readJobDocument({
      state: "running",
      steps: [{ name: "check_cad", status: "completed", duration_s: 0.2, message: "waiting for a render slot (1 of 1 in use)" }],
    });
    expect(timelineSteps(doc, "thumbnail").map((s) => [s.name, s.status])).toEqual([
      ["check_cad", "completed"],
      ["render_thumbnail", "pending"],
      ["deliver", "pending"],
    ]);
    expect(timelineSteps(readJobDocument({ state: "queued", steps: [] }), "glb").map((s) => s.name)).toEqual([
      "check_cad",
      "export_glb",
      "deliver",
    ]);
    expect(timelineSteps(readJobDocument({ state: "failed", steps: [] }), "still")).toEqual([]);
    expect(timelineSteps(readJobDocument({ state: "completed", steps: [{ name: "check_cad", status: "completed" }] }), "still")).toHaveLength(1);
  });

});
