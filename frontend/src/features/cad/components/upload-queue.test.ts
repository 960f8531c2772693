import { afterUploadNote, itemFraction, nextToStart, queueSummary, uploadReducer } from "./upload-queue";
import type { UploadItem } from "./upload-queue";

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

function queue(...sizes: number[]): UploadItem[] {
  return uploadReducer([], {
    type: "add",
    files: sizes.map((size, i) => file(`part${i}.stp`, size)),
    ids: sizes.map((_, i) => `u${i}`),
  });
}

describe("upload queue", () => {
  it("adds files as queued, with name and size", () => {
    const items = queue(100, 200);
    expect(items.map((i) => [i.id, i.name, i.size, i.state, i.loaded])).toEqual([
      ["u0", "part0.stp", 100, "queued", 0],
      ["u1", "part1.stp", 200, "queued", 0],
    ]);
  });

  it("starts at most two at once, oldest first", () => {
    let items = queue(1, 2, 3);
    expect(nextToStart(items).map((i) => i.id)).toEqual(["u0", "u1"]);
    items = uploadReducer(items, { type: "start", id: "u0" });
    items = uploadReducer(items, { type: "start", id: "u1" });
    expect(nextToStart(items)).toEqual([]);
    items = uploadReducer(items, { type: "done", id: "u0", cadId: "c0", duplicate: false });
    expect(nextToStart(items).map((i) => i.id)).toEqual(["u2"]);
  });

  it("tracks progress within the file's size, only while uploading", () => {
    let items = queue(100);
    items = uploadReducer(items, { type: "progress", id: "u0", loaded: 50 });
    expect(items[0]?.loaded).toBe(0); // not started yet
    items = uploadReducer(items, { type: "start", id: "u0" });
    items = uploadReducer(items, { type: "progress", id: "u0", loaded: 40 });
    expect(itemFraction(items[0] as UploadItem)).toBeCloseTo(0.4);
    items = uploadReducer(items, { type: "progress", id: "u0", loaded: 400 });
    expect(items[0]?.loaded).toBe(100);
  });

  it("keeps the server's message of a failure, and a retry queues it again", () => {
    let items = uploadReducer(queue(10), { type: "start", id: "u0" });
    items = uploadReducer(items, { type: "fail", id: "u0", error: "The file is not a STEP file." });
    expect(items[0]).toMatchObject({ state: "failed", error: "The file is not a STEP file." });
    expect(queueSummary(items)).toEqual({ active: 0, done: 0, failed: 1 });
    items = uploadReducer(items, { type: "retry", id: "u0" });
    expect(items[0]).toMatchObject({ state: "queued", error: undefined, loaded: 0 });
  });

  it("marks a duplicate and counts a done file as complete", () => {
    let items = uploadReducer(queue(0), { type: "start", id: "u0" });
    items = uploadReducer(items, { type: "done", id: "u0", cadId: "c9", duplicate: true });
    expect(items[0]).toMatchObject({ state: "done", cadId: "c9", duplicate: true });
    expect(itemFraction(items[0] as UploadItem)).toBe(1);
  });

  it("dismisses finished items but never a running one", () => {
    let items = queue(1, 2, 3);
    items = uploadReducer(items, { type: "start", id: "u0" });
    items = uploadReducer(items, { type: "start", id: "u1" });
    items = uploadReducer(items, { type: "done", id: "u1", cadId: "c1", duplicate: false });
    items = uploadReducer(items, { type: "dismiss", id: "u0" });
    expect(items.map((i) => i.id)).toEqual(["u0", "u1", "u2"]);
    items = uploadReducer(items, { type: "clearFinished" });
    expect(items.map((i) => i.id)).toEqual(["u0", "u2"]);
  });
});

describe("the note under a finished upload", () => {
  it("follows the file's processing instead of promising it forever", () => {
    expect(afterUploadNote(false, undefined).text).toBe("Uploaded; processing starts now.");
    expect(afterUploadNote(false, { status: "processing" }).text).toBe("Uploaded; processing…");
    expect(afterUploadNote(false, { status: "ready", warnings: [] })).toEqual({ text: "Uploaded; ready.", tone: "success" });
    expect(afterUploadNote(false, { status: "ready", warnings: [{ severity: "warning" }, { severity: "info" }] })).toEqual({
      text: "Uploaded; ready with a warning.",
      tone: "warning",
    });
    expect(afterUploadNote(false, { status: "failed", error: "The file is cut off." })).toEqual({
      text: "Uploaded; processing failed: The file is cut off.",
      tone: "danger",
    });
    expect(afterUploadNote(true, { status: "ready" }).text).toBe("Already in the library; ready.");
  });
});
