import { ACTIVE_POLL_MS, THUMBNAIL_POLL_MS, THUMBNAIL_WAIT_MS, awaitsThumbnail, pollInterval } from "./polling";

const NOW = Date.parse("2025-11-28T12:00:00Z");
type State = "pending" | "rendering" | "ready" | "failed";
const file = (status: string, thumbnail: State | null = null, agoMs = 0) => ({
  status,
  thumbnail_status: thumbnail ? { state: thumbnail, reason: thumbnail === "failed" ? "input GLB not found" : null } : null,
  updated_at: new Date(NOW - agoMs).toISOString(),
});

describe("pollInterval", () => {
  it("does not poll an empty or missing list", () => {
    expect(pollInterval(undefined, NOW)).toBe(false);
    expect(pollInterval([], NOW)).toBe(false);
  });

  it("polls every 2 s while any file is uploaded or processing", () => {
    expect(pollInterval([file("ready", "ready"), file("processing", "pending")], NOW)).toBe(ACTIVE_POLL_MS);
    expect(pollInterval([file("uploaded", "pending")], NOW)).toBe(ACTIVE_POLL_MS);
    expect(ACTIVE_POLL_MS).toBe(2000);
  });

  it("waits, less often, while a ready file's thumbnail is pending or rendering", () => {
    expect(pollInterval([file("ready", "pending", 10_000)], NOW)).toBe(THUMBNAIL_POLL_MS);
    expect(pollInterval([file("ready", "rendering", 10_000)], NOW)).toBe(THUMBNAIL_POLL_MS);
  });

  it("stops as soon as the thumbnail failed, without waiting out the thumbnail window", () => {
    expect(pollInterval([file("ready", "failed", 1000)], NOW)).toBe(false);
  });

  it("rests when every file is done: thumbnail ready or failed, file failed, or a thumbnail lost long ago", () => {
    expect(
      pollInterval(
        [file("ready", "ready"), file("ready", "failed"), file("failed"), file("ready", "rendering", THUMBNAIL_WAIT_MS + 1)],
        NOW,
      ),
    ).toBe(false);
  });
});

describe("awaitsThumbnail", () => {
  it("only for ready files whose thumbnail is still coming, recently changed", () => {
    expect(awaitsThumbnail(file("ready", "pending", 1000), NOW)).toBe(true);
    expect(awaitsThumbnail(file("ready", "rendering", 1000), NOW)).toBe(true);
    expect(awaitsThumbnail(file("ready", "ready", 1000), NOW)).toBe(false);
    expect(awaitsThumbnail(file("ready", "failed", 1000), NOW)).toBe(false);
    expect(awaitsThumbnail(file("failed", null, 1000), NOW)).toBe(false);
    expect(awaitsThumbnail({ ...file("ready", "pending"), updated_at: "nonsense" }, NOW)).toBe(false);
  });
});
