import { cadIdOfEvent } from "./use-cad-live-events";

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
