import { formatDuration, readJobDocument, stepLabel, stepSeconds } from "./job-document";

describe("job document", () => {
  it("reads the steps and ignores what it does not understand", () => {
    const doc = readJobDocument({
      state: "completed",
      created_at: "2025-11-28T12:00:00Z",
      pid: 4242,
      steps: [{ name: "occ_glb_export", status: "completed", duration_s: 3.2 }, { nonsense: true }, null],
    });
    expect(doc.state).toBe("completed");
    expect(doc.pid).toBe(4242);
    expect(doc.steps).toHaveLength(1);
    expect(readJobDocument(null).steps).toEqual([]);
    expect(readJobDocument({}).steps).toEqual([]);
    expect(readJobDocument({ steps: "no" }).steps).toEqual([]);
  });

  it("labels steps as the server does, and unknown ones readably", () => {
    expect(stepLabel("occ_glb_export")).toBe("Convert STEP to GLB");
    expect(stepLabel("check_cad")).toBe("Check CAD file");
    expect(stepLabel("deliver")).toBe("Deliver media");
    expect(stepLabel("some_new_step")).toBe("Some new step");
  });

  it("times finished steps by their duration and running ones until now", () => {
    const now = Date.parse("2025-11-28T12:00:10Z");
    expect(stepSeconds({ name: "x", status: "running", started_at: "2025-11-28T12:00:00Z" }, now)).toBe(10);
    expect(stepSeconds({ name: "x", status: "completed", duration_s: 1.5 }, now)).toBe(1.5);
    const failed = { name: "x", status: "failed", started_at: "2025-11-28T12:00:00Z", completed_at: "2025-11-28T12:00:04Z" };
    expect(stepSeconds(failed, now)).toBe(4);
    expect(stepSeconds({ name: "x", status: "running" }, now)).toBeNull();
  });
});

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
