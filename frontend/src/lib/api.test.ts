import { ApiError, api, unwrap } from "@/lib/api";
import { authStore } from "@/lib/auth";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

const expired = () => json(401, { error: { code: "token_expired", message: "The token has expired." } });
const me = { id: "u1", email: "pm@demo.local", full_name: "Paul", role: "project_manager", tenant: null, permissions: [] };

function bearer(call: unknown[]): string | null {
  const request = call[0] as Request;
  return request instanceof Request ? request.headers.get("Authorization") : null;
}

describe("api client", () => {
  beforeEach(() => authStore.set({ accessToken: "old-access", refreshToken: "old-refresh" }));

  it("refreshes an expired token once for concurrent requests and retries each", async () => {
    let refreshes = 0;
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/api/auth/refresh")) {
        refreshes += 1;
        expect(JSON.parse(String(init?.body))).toEqual({ refresh_token: "old-refresh" });
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json(200, { access_token: "new-access", refresh_token: "new-refresh", token_type: "bearer", expires_in: 1800 });
      }
      const auth = (input as Request).headers.get("Authorization");
      return auth === "Bearer new-access" ? json(200, me) : expired();
    });
    vi.stubGlobal("fetch", fetchMock);

    const [a, b] = await Promise.all([unwrap(api.GET("/api/auth/me")), unwrap(api.GET("/api/auth/me"))]);

    expect(a.email).toBe("pm@demo.local");
    expect(b.email).toBe("pm@demo.local");
    expect(refreshes).toBe(1);
    expect(authStore.get()).toEqual({ accessToken: "new-access", refreshToken: "new-refresh" });
    const bearers = fetchMock.mock.calls.map(bearer).filter(Boolean);
    expect(bearers).toEqual(["Bearer old-access", "Bearer old-access", "Bearer new-access", "Bearer new-access"]);
  });

  it("logs out when the refresh is refused, without retrying again", async () => {
    const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/api/auth/refresh")) {
        return json(401, { error: { code: "token_reused", message: "This refresh token has been used already." } });
      }
      return expired();
    });
    vi.stubGlobal("fetch", fetchMock);

    const error = await unwrap(api.GET("/api/auth/me")).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("token_expired");
    expect(authStore.get()).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(2); // the request and one refresh, no loop
  });

  it("surfaces Automat's error body as code and message, with retry-after for 429", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        json(429, {
          error: { code: "too_many_attempts", message: "Too many failed logins; try again later.", details: { retry_after_s: 840 } },
        }),
      ),
    );

    const error = (await unwrap(
      api.POST("/api/auth/login", { body: { email: "pm@demo.local", password: "x" } }),
    ).catch((e: unknown) => e)) as ApiError;

    expect(error).toMatchObject({ status: 429, code: "too_many_attempts", message: "Too many failed logins; try again later." });
    expect(error.retryAfterSeconds).toBe(840);
  });

  it("does not try to refresh for a failed login", async () => {
    const fetchMock = vi.fn(async () => json(401, { error: { code: "not_authenticated", message: "E-mail or password is wrong." } }));
    vi.stubGlobal("fetch", fetchMock);

    await expect(unwrap(api.POST("/api/auth/login", { body: { email: "a@b.c", password: "x" } }))).rejects.toBeInstanceOf(ApiError);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
