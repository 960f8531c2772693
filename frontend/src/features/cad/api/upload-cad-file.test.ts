import { ApiError } from "@/lib/api";
import { authStore } from "@/lib/auth";
import { uploadCadFile } from "./upload-cad-file";

/** A scripted XMLHttpRequest: answers each send with the next status and body. */
function fakeXhr(answers: Array<{ status: number; body?: unknown; progress?: number[] }>) {
  const sent: Array<{ url: string; headers: Record<string, string>; form: FormData }> = [];
  const create = () => {
    const xhr = {
      status: 0,
      responseText: "",
      upload: { onprogress: null as ((e: ProgressEvent) => void) | null },
      onload: null as (() => void) | null,
      onerror: null as (() => void) | null,
      onabort: null as (() => void) | null,
      headers: {} as Record<string, string>,
      url: "",
      open(_method: string, url: string) {
        xhr.url = url;
      },
      setRequestHeader(name: string, value: string) {
        xhr.headers[name] = value;
      },
      abort() {
        xhr.onabort?.();
      },
      send(form: FormData) {
        sent.push({ url: xhr.url, headers: xhr.headers, form });
        const answer = answers.shift();
        queueMicrotask(() => {
          if (!answer) return xhr.onerror?.();
          for (const loaded of answer.progress ?? []) {
            xhr.upload.onprogress?.({ lengthComputable: true, loaded, total: 100 } as ProgressEvent);
          }
          xhr.status = answer.status;
          xhr.responseText = answer.body === undefined ? "" : JSON.stringify(answer.body);
          xhr.onload?.();
        });
      },
    };
    return xhr as unknown as XMLHttpRequest;
  };
  return { create, sent };
}

const step = () => new File(["ISO-10303-21;"], "bearing.stp");

describe("uploadCadFile", () => {
  beforeEach(() => authStore.set({ accessToken: "access", refreshToken: "refresh" }));

  it("posts the file as multipart field `file` with the bearer token and reports progress", async () => {
    const xhr = fakeXhr([{ status: 201, body: { id: "c1", original_name: "bearing.stp" }, progress: [30, 100] }]);
    const progress = vi.fn();
    const result = await uploadCadFile(step(), { createXhr: xhr.create, onProgress: progress });
    expect(result).toEqual({ cad: { id: "c1", original_name: "bearing.stp" }, created: true });
    expect(xhr.sent[0]?.url).toBe("/api/cad-files");
    expect(xhr.sent[0]?.headers.Authorization).toBe("Bearer access");
    expect((xhr.sent[0]?.form.get("file") as File).name).toBe("bearing.stp");
    expect(progress.mock.calls).toEqual([
      [30, 100],
      [100, 100],
    ]);
  });

  it("says when the tenant had the file already (200)", async () => {
    const xhr = fakeXhr([{ status: 200, body: { id: "c1" } }]);
    expect((await uploadCadFile(step(), { createXhr: xhr.create })).created).toBe(false);
  });

  it.each([
    [413, { error: { code: "payload_too_large", message: "The file is larger than the limit of 200 MB." } }],
    [415, { error: { code: "not_step", message: "This is not a STEP file (it looks like a PNG image)." } }],
  ])("passes the server's %i message on", async (status, body) => {
    const xhr = fakeXhr([{ status, body }]);
    const error = await uploadCadFile(step(), { createXhr: xhr.create }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).message).toBe(body.error.message);
  });

  it("says something plain when a proxy answers 413 without Automat's body", async () => {
    const xhr = fakeXhr([{ status: 413 }]);
    await expect(uploadCadFile(step(), { createXhr: xhr.create })).rejects.toThrow("The file is larger than the upload limit.");
  });

  it("refreshes an expired token once and sends again", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ access_token: "new", refresh_token: "r2" }), { status: 200 })),
    );
    const xhr = fakeXhr([
      { status: 401, body: { error: { code: "token_expired", message: "expired" } } },
      { status: 201, body: { id: "c2" } },
    ]);
    const result = await uploadCadFile(step(), { createXhr: xhr.create });
    expect(result.cad.id).toBe("c2");
    expect(xhr.sent.map((s) => s.headers.Authorization)).toEqual(["Bearer access", "Bearer new"]);
  });

  it("turns a broken connection into a network error", async () => {
    const xhr = fakeXhr([]);
    await expect(uploadCadFile(step(), { createXhr: xhr.create })).rejects.toMatchObject({ code: "network_error" });
  });
});
