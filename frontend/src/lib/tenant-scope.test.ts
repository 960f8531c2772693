import spec from "@/api/openapi.json";
import { api, scopeRequest, takesBodyTenant, unwrap } from "@/lib/api";
import { authStore } from "@/lib/auth";
import { tenantScope, tokenClaims, withTenant } from "@/lib/tenant-scope";

const ACME = "6f1c2f4e-6b1a-4c39-9d1e-acme00000001";
const DEMO = "6f1c2f4e-6b1a-4c39-9d1e-demo00000002";

/** An access token as the API issues it (only its claims matter to the client). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.signature`;
}

const globalAdmin = (sub = "ga-1") => jwt({ sub, role: "global_admin", tenant_id: null });
const projectManager = jwt({ sub: "pm-1", role: "project_manager", tenant_id: DEMO });

function logIn(accessToken: string) {
  authStore.set({ accessToken, refreshToken: "refresh" });
}

/** The requests `api` sent, as the server saw them. */
function recordFetch() {
  const seen: Array<{ method: string; url: URL; body: unknown }> = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const text = request.body ? await request.text() : "";
      seen.push({ method: request.method, url: new URL(request.url), body: text ? (JSON.parse(text) as unknown) : undefined });
      return new Response(JSON.stringify({ id: "x", items: [], total: 0 }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }),
  );
  return seen;
}

describe("a global admin's tenant pick", () => {
  beforeEach(() => {
    localStorage.clear();
    tenantScope.reload();
  });

  it("reads the role and user from the access token, and nothing from anything else", () => {
    expect(tokenClaims(globalAdmin("ga-7"))).toEqual({ sub: "ga-7", role: "global_admin" });
    expect(tokenClaims("not-a-jwt")).toBeNull();
    expect(tokenClaims("a.!!!.c")).toBeNull();
    expect(tokenClaims(null)).toBeNull();
  });

  it("is kept per global admin across a reload and means nothing for other roles", () => {
    logIn(globalAdmin("ga-1"));
    expect(tenantScope.tenantId()).toBeNull(); // All tenants until picked
    tenantScope.set(ACME);
    tenantScope.reload(); // as after a page reload
    expect(tenantScope.tenantId()).toBe(ACME);

    logIn(globalAdmin("ga-2")); // another global admin in the same browser picks for themself
    expect(tenantScope.tenantId()).toBeNull();

    logIn(projectManager);
    tenantScope.set(ACME); // ignored: a tenant user has no pick
    expect(tenantScope.tenantId()).toBeNull();

    logIn(globalAdmin("ga-1"));
    expect(tenantScope.tenantId()).toBe(ACME);
    tenantScope.set(null);
    expect(tenantScope.tenantId()).toBeNull();
  });

  it("adds tenant_id to an upload URL unless it names one", () => {
    expect(withTenant("/api/cad-files", ACME)).toBe(`/api/cad-files?tenant_id=${ACME}`);
    expect(withTenant("/api/imports/excel?x=1", ACME)).toBe(`/api/imports/excel?x=1&tenant_id=${ACME}`);
    expect(withTenant(`/api/cad-files?tenant_id=${DEMO}`, ACME)).toBe(`/api/cad-files?tenant_id=${DEMO}`);
    expect(withTenant("/api/cad-files", null)).toBe("/api/cad-files");
  });

  it("fills tenant_id of every list, upload and create request once a tenant is picked", async () => {
    logIn(globalAdmin());
    tenantScope.set(ACME);
    const seen = recordFetch();

    await unwrap(api.GET("/api/products", { params: { query: { q: "6204" } } }));
    await unwrap(api.GET("/api/cad-files", { params: { query: { page_size: 10 } } }));
    await unwrap(api.POST("/api/orders", { body: { title: "Autumn", product_ids: ["p"], output_type_ids: ["o"] } }));
    await unwrap(api.POST("/api/products", { body: { pim_id: "P-1", name: "Bearing" } }));

    expect(seen.map((r) => [r.method, r.url.pathname, r.url.searchParams.get("tenant_id")])).toEqual([
      ["GET", "/api/products", ACME],
      ["GET", "/api/cad-files", ACME],
      ["POST", "/api/orders", ACME],
      ["POST", "/api/products", ACME],
    ]);
    expect(seen[0]?.url.searchParams.get("q")).toBe("6204");
    // Create requests take the tenant in the body: it is there, beside what the call sent.
    expect(seen[2]?.body).toEqual({ title: "Autumn", product_ids: ["p"], output_type_ids: ["o"], tenant_id: ACME });
    expect(seen[3]?.body).toEqual({ pim_id: "P-1", name: "Bearing", tenant_id: ACME });
  });

  it("leaves requests alone for All tenants, for other roles, for the session and the tenants", async () => {
    const seen = recordFetch();
    logIn(globalAdmin());
    await unwrap(api.GET("/api/orders", { params: { query: { view: "kanban" } } })); // All tenants
    tenantScope.set(ACME);
    await unwrap(api.GET("/api/auth/me"));
    await unwrap(api.GET("/api/tenants", { params: { query: { limit: 500 } } }));
    logIn(projectManager);
    await unwrap(api.POST("/api/orders", { body: { product_ids: ["p"], output_type_ids: ["o"] } }));

    expect(seen.map((r) => r.url.searchParams.get("tenant_id"))).toEqual([null, null, null, null]);
    expect(seen[3]?.body).toEqual({ product_ids: ["p"], output_type_ids: ["o"] });
  });

  it("keeps a tenant the call names itself", async () => {
    const request = new Request(`http://x/api/orders?tenant_id=${DEMO}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant_id: DEMO, product_ids: [] }),
    });
    const scoped = await scopeRequest(request, ACME);
    expect(new URL(scoped.url).searchParams.get("tenant_id")).toBe(DEMO);
    expect(await scoped.json()).toEqual({ tenant_id: DEMO, product_ids: [] });
  });

  it("knows every request that takes tenant_id in its body (from the API's schema)", () => {
    interface Operation {
      requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
    }
    const schemas = spec.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    const paths = spec.paths as Record<string, Record<string, Operation>>;
    const withBodyTenant: string[] = [];
    const all: Array<[string, string]> = [];
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const concrete = path.replace(/\{[^}]+\}/g, "some-id");
        all.push([method, concrete]);
        const ref = operation.requestBody?.content?.["application/json"]?.schema?.$ref;
        const schema = ref ? schemas[ref.split("/").pop() ?? ""] : undefined;
        if (schema?.properties && "tenant_id" in schema.properties) withBodyTenant.push(`${method.toUpperCase()} ${concrete}`);
      }
    }
    expect(withBodyTenant.length).toBeGreaterThan(0);
    const matched = all.filter(([method, path]) => takesBodyTenant(method, path)).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(matched.sort()).toEqual(withBodyTenant.sort());
  });
});
