import { deviceInfo, formatDuration, readJobDocument, stepLabel, stepSeconds, timelineSteps } from "./timeline";

describe("formatDuration", () => {
  it.each([
    [0.42, "0.4 s"],
    [3, "3.0 s"],
    [12.4, "12 s"],
    [59.6, "60 s"],
    [125, "2 min 05 s"],
    [3599, "59 min 59 s"],
    [3720, "1 h 02 min"],
  ])("%s s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("is empty when unknown", () => {
    expect(formatDuration(null)).toBe("");
    expect(formatDuration(undefined)).toBe("");
    expect(formatDuration(Number.NaN)).toBe("");
  });
});

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

  it("labels steps and times running ones", () => {
    expect(stepLabel("render_turntable")).toBe("Render turntable");
    expect(stepLabel("something_new")).toBe("Something new");
    const started = "2025-01-01T10:00:00Z";
    expect(stepSeconds({ name: "x", status: "running", started_at: started }, Date.parse(started) + 65_000)).toBe(65);
    expect(stepSeconds({ name: "x", status: "completed", duration_s: 3.5 })).toBe(3.5);
    expect(stepSeconds({ name: "x", status: "pending" })).toBeNull();
  });
});
