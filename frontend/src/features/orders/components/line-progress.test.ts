import { formatTimeLeft, progressLabel, queueLabel, secondsLeft } from "./line-progress";
import type { LineProgressData } from "./line-progress";

const base: LineProgressData = {
  job_id: "line-1",
  phase: "render",
  message: "frame 3/36",
  fraction: 0.25,
  phase_started_at: "2026-12-02T10:00:00Z",
  updated_at: "2026-12-02T10:00:30Z",
  elapsed_s: 30,
  eta_s: 90,
};

describe("progressLabel", () => {
  it("counts frames for a turntable (the samples of a frame would only make it jitter)", () => {
    expect(progressLabel({ ...base, frame: 3, frames: 36 })).toBe("Frame 3 / 36");
    expect(progressLabel({ ...base, frame: 3, frames: 36, sample: 2, samples: 8 })).toBe("Frame 3 / 36");
    expect(progressLabel({ ...base, phase: "encode", frame: 36, frames: 36 })).toBe("Encoding frame 36 / 36");
  });

  it("counts samples for a still and names the set-up phases", () => {
    expect(progressLabel({ ...base, sample: 40, samples: 128 })).toBe("Sample 40 / 128");
    expect(progressLabel({ ...base, phase: "import", fraction: null })).toBe("Loading the model");
    expect(progressLabel({ ...base, phase: "something new", message: "doing it" })).toBe("doing it");
  });
});

describe("time left", () => {
  it("counts down from the last estimate and never below zero", () => {
    const at = Date.parse(base.updated_at);
    expect(secondsLeft(base, at)).toBe(90);
    expect(secondsLeft(base, at + 30_000)).toBe(60);
    expect(secondsLeft(base, at + 300_000)).toBe(0);
    expect(secondsLeft({ ...base, eta_s: null }, at)).toBeNull();
  });

  it("reads as an estimate", () => {
    expect(formatTimeLeft(null)).toBe("");
    expect(formatTimeLeft(3)).toBe("a few seconds left");
    expect(formatTimeLeft(42.4)).toBe("about 42 s left");
    expect(formatTimeLeft(171)).toBe("about 2 min 50 s left");
    expect(formatTimeLeft(2 * 3600 + 61)).toBe("about 2 h 01 min left");
  });
});

describe("queueLabel", () => {
  it("says the place in the queue", () => {
    expect(queueLabel({ position: 1, queued: 1, reason: "queue", message: "" })).toBe("Next in the queue");
    expect(queueLabel({ position: 2, queued: 4, reason: "slots_full", message: "" })).toBe("2nd of 4 in the queue");
    expect(queueLabel({ position: 11, queued: 12, reason: "no_worker", message: "" })).toBe("11th of 12 in the queue");
    expect(queueLabel({ position: 23, queued: 30, reason: "queue", message: "" })).toBe("23rd of 30 in the queue");
  });
});
