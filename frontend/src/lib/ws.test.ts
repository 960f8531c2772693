import { act, renderHook, waitFor } from "@testing-library/react";
import { authStore } from "@/lib/auth";
import { EXPIRED_CLOSE, REVOKED_CLOSE, useLiveEvents } from "@/lib/ws";

/** A WebSocket the test drives: it records what was opened and lets the "server" close it. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((close: { code: number }) => void) | null = null;
  closedByClient = false;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  get token(): string | null {
    return new URL(this.url).searchParams.get("token");
  }

  close() {
    this.closedByClient = true;
  }

  serverCloses(code: number) {
    act(() => this.onclose?.({ code }));
  }
}

/** The i-th socket the hook opened. */
function socket(i: number): FakeSocket {
  const opened = FakeSocket.opened[i];
  if (!opened) throw new Error(`no socket #${i} was opened (${FakeSocket.opened.length} were)`);
  return opened;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function refreshAnswers(response: () => Response) {
  const fetchMock = vi.fn(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return response();
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

const renewed = () =>
  json(200, { access_token: "new-access", refresh_token: "new-refresh", token_type: "bearer", expires_in: 1800 });

describe("useLiveEvents when the server ends the stream", () => {
  beforeEach(() => {
    FakeSocket.opened = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    authStore.set({ accessToken: "old-access", refreshToken: "old-refresh" });
  });

  afterEach(() => {
    vi.useRealTimers();
    act(() => authStore.clear());
  });

  it("refreshes an expired token once for every stream and reconnects them with the new one", async () => {
    const fetchMock = refreshAnswers(renewed);
    renderHook(() => useLiveEvents(() => {}));
    renderHook(() => useLiveEvents(() => {}, { jobId: "cad:1" }));
    expect(FakeSocket.opened.map((s) => s.token)).toEqual(["old-access", "old-access"]);

    socket(0).serverCloses(EXPIRED_CLOSE);
    socket(1).serverCloses(EXPIRED_CLOSE);

    await waitFor(() => expect(FakeSocket.opened).toHaveLength(4));
    expect(FakeSocket.opened.slice(2).map((s) => s.token)).toEqual(["new-access", "new-access"]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toEqual([
      "/api/auth/refresh",
      expect.objectContaining({ body: JSON.stringify({ refresh_token: "old-refresh" }) }),
    ]);
    expect(authStore.get()).toEqual({ accessToken: "new-access", refreshToken: "new-refresh" });
  });

  it("logs out when access was revoked, without refreshing or reconnecting", async () => {
    vi.useFakeTimers();
    const fetchMock = refreshAnswers(renewed);
    const { result } = renderHook(() => useLiveEvents(() => {}));

    socket(0).serverCloses(REVOKED_CLOSE);
    await act(() => vi.advanceTimersByTimeAsync(60_000));

    expect(authStore.get()).toBeNull(); // the shell shows the login page
    expect(fetchMock).not.toHaveBeenCalled();
    expect(FakeSocket.opened).toHaveLength(1);
    expect(result.current).toBe("closed");
  });

  it("logs out when an expired token cannot be refreshed because access ended", async () => {
    refreshAnswers(() => json(401, { error: { code: "token_revoked", message: "This token has been revoked." } }));
    renderHook(() => useLiveEvents(() => {}));

    socket(0).serverCloses(EXPIRED_CLOSE);

    await waitFor(() => expect(authStore.get()).toBeNull());
    expect(FakeSocket.opened).toHaveLength(1);
  });

  it("keeps the session and tries again later when the refresh cannot reach the server", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    renderHook(() => useLiveEvents(() => {}));

    socket(0).serverCloses(EXPIRED_CLOSE);

    await waitFor(() => expect(FakeSocket.opened).toHaveLength(2), { timeout: 2000 });
    expect(authStore.get()?.refreshToken).toBe("old-refresh");
  });

  it("reconnects with back-off, keeping the token, when the connection merely dropped", async () => {
    vi.useFakeTimers();
    const fetchMock = refreshAnswers(renewed);
    renderHook(() => useLiveEvents(() => {}));

    socket(0).serverCloses(1006);
    await act(() => vi.advanceTimersByTimeAsync(600));

    expect(FakeSocket.opened).toHaveLength(2);
    expect(socket(1).token).toBe("old-access");
    expect(fetchMock).not.toHaveBeenCalled();
    expect(authStore.get()?.accessToken).toBe("old-access");
  });
});
