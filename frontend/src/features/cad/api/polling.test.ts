import { ACTIVE_POLL_MS, THUMBNAIL_POLL_MS, THUMBNAIL_WAIT_MS, awaitsThumbnail, pollInterval } from "./polling";

const NOW = Date.parse("2025-11-28T12:00:00Z");
const file = (status: string, thumbnail: string | null = null, agoMs = 0) => ({
  status,
  thumbnail,
  updated_at: new Date(NOW - agoMs).toISOString(),
});

describe("pollInterval", () => {
  it("does not poll an empty or missing list", () => {
    expect(pollInterval(undefined, NOW)).toBe(false);
    expect(pollInterval([], NOW)).toBe(false);
  });

  it("polls every 2 s while any file is uploaded or processing", () => {
    expect(pollInterval([file("ready", "/t"), file("processing")], NOW)).toBe(ACTIVE_POLL_MS);
    expect(pollInterval([file("uploaded")], NOW)).toBe(ACTIVE_POLL_MS);
    expect(ACTIVE_POLL_MS).toBe(2000);
  });

  it("waits for the thumbnail of a file that just became ready, less often", () => {
    expect(pollInterval([file("ready", null, 10_000)], NOW)).toBe(THUMBNAIL_POLL_MS);
  });

  it("rests when every file is done: with its thumbnail, failed, or ready long ago", () => {
    expect(pollInterval([file("ready", "/t"), file("failed"), file("ready", null, THUMBNAIL_WAIT_MS + 1)], NOW)).toBe(false);
  });
});

describe("awaitsThumbnail", () => {
  it("only for ready files without one, recently changed", () => {
    expect(awaitsThumbnail(file("ready", null, 1000), NOW)).toBe(true);
    expect(awaitsThumbnail(file("ready", "/t", 1000), NOW)).toBe(false);
    expect(awaitsThumbnail(file("failed", null, 1000), NOW)).toBe(false);
    expect(awaitsThumbnail({ status: "ready", thumbnail: null, updated_at: "nonsense" }, NOW)).toBe(false);
  });
});
