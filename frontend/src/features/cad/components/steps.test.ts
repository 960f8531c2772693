import { cadIdOfEvent } from "./use-cad-live-events";
import { elapsedSeconds, readJobDocument, stepLabel } from "./steps";

describe("job document", () => {
  it("reads the steps and ignores what it does not understand", () => {
    const doc = readJobDocument({
      state: "completed",
      created_at: "2025-11-28T12:00:00Z",
      steps: [{ name: "occ_glb_export", status: "completed", duration_s: 3.2 }, { nonsense: true }, null],
    });
    expect(doc.state).toBe("completed");
    expect(doc.steps).toHaveLength(1);
    expect(readJobDocument(null)).toEqual({ steps: [] });
    expect(readJobDocument({ steps: "no" }).steps).toEqual([]);
  });

  it("labels steps as the backend does, and unknown ones readably", () => {
    expect(stepLabel("occ_glb_export")).toBe("Convert STEP to GLB");
    expect(stepLabel("render_thumbnail")).toBe("Render thumbnail");
    expect(stepLabel("some_new_step")).toBe("Some new step");
  });

  it("gives a running step the time since its start", () => {
    const now = Date.parse("2025-11-28T12:00:10Z");
    expect(elapsedSeconds({ name: "x", status: "running", started_at: "2025-11-28T12:00:00Z" }, now)).toBe(10);
    expect(elapsedSeconds({ name: "x", status: "completed", duration_s: 1.5 }, now)).toBe(1.5);
    expect(elapsedSeconds({ name: "x", status: "running" }, now)).toBeNull();
  });
});

describe("live events of CAD processing", () => {
  it("names the CAD file of a step that started or ended", () => {
    expect(cadIdOfEvent({ type: "pipeline_event", kind: "done", job_id: "cad:abc" })).toBe("abc");
    expect(cadIdOfEvent({ type: "pipeline_event", kind: "start", job_id: "cad:abc" })).toBe("abc");
  });
  it("ignores progress, other jobs and other events", () => {
    expect(cadIdOfEvent({ type: "pipeline_event", kind: "progress", job_id: "cad:abc" })).toBeNull();
    expect(cadIdOfEvent({ type: "pipeline_event", kind: "done", job_id: "order-line:1" })).toBeNull();
    expect(cadIdOfEvent({ type: "notification", job_id: "cad:abc" })).toBeNull();
  });
});
