import { fileNameFromDisposition } from "@/lib/files";
import { isMissingEndpoint, readWithProgress } from "./bulk-download";

describe("the bulk download's answers", () => {
  it("tells a missing endpoint from a refused request", () => {
    expect(isMissingEndpoint(405, undefined)).toBe(true);
    expect(isMissingEndpoint(404, { error: { code: "not_found", message: "Not Found" } })).toBe(true);
    expect(isMissingEndpoint(404, { error: { code: "media_not_found", message: "Media asset not found." } })).toBe(false);
    expect(isMissingEndpoint(403, undefined)).toBe(false);
  });

  it("names the archive from Content-Disposition", () => {
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''media%20%C3%BC.zip`)).toBe("media ü.zip");
    expect(fileNameFromDisposition(`attachment; filename="media.zip"`)).toBe("media.zip");
    expect(fileNameFromDisposition(null)).toBeNull();
  });

  it("reports the bytes received against Content-Length", async () => {
    const chunks = [new Uint8Array(3), new Uint8Array(5)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const seen: Array<[number, number | null]> = [];
    const blob = await readWithProgress(new Response(body, { headers: { "Content-Length": "8", "Content-Type": "application/zip" } }), (r, t) => seen.push([r, t]));
    expect(blob.size).toBe(8);
    expect(seen).toEqual([[0, 8], [3, 8], [8, 8]]);
  });
});

describe("a worker-built archive", () => {
  it("is polled while queued or building, and no longer once it ended", async () => {
    const { isBuilding } = await import("./bulk-download");
    expect(isBuilding({ status: "queued" })).toBe(true);
    expect(isBuilding({ status: "building", progress: 0.4 })).toBe(true);
    expect(isBuilding({ status: "ready" })).toBe(false);
    expect(isBuilding({ status: "failed" })).toBe(false);
    expect(isBuilding(undefined)).toBe(false);
  });
});
