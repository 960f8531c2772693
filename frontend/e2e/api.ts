/**
 * Set-up and checks through the API for the browser tests (Playwright's `request` with a token
 * from /api/auth/login): what a test needs to exist before it opens a page, and what a page did.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD } from "./support";

export async function apiToken(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await request.post("/api/auth/login", { data: { email, password } });
  expect(response.status(), `login of ${email}`).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * A new user with the demo password: created by an admin (who gets a temporary password once),
 * then the user changes it as at their first login. Returns the user's access token.
 */
export async function apiCreateUser(
  request: APIRequestContext,
  adminToken: string,
  user: { email: string; full_name: string; role: string },
  password = DEMO_PASSWORD,
): Promise<string> {
  const created = await apiCall<{ temporary_password: string }>(request, adminToken, "post", "/api/users", user);
  const first = await apiToken(request, user.email, created.temporary_password);
  const changed = await apiCall<{ access_token: string }>(request, first, "post", "/api/auth/password", {
    current_password: created.temporary_password,
    new_password: password,
  });
  return changed.access_token;
}

export async function apiCall<T>(
  request: APIRequestContext,
  accessToken: string,
  method: "get" | "post" | "patch",
  url: string,
  data?: unknown,
): Promise<T> {
  const response = await request[method](url, { headers: { Authorization: `Bearer ${accessToken}` }, data });
  expect(response.ok(), `${method.toUpperCase()} ${url}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/**
 * Upload a STEP file under `name`; `salt` goes into a comment before the header, so the same
 * fixture becomes a file of its own (the API returns the existing record for the same content).
 */
export async function apiUploadStep(
  request: APIRequestContext,
  accessToken: string,
  file: string,
  options: { name?: string; salt?: string } = {},
): Promise<{ id: string; original_name: string }> {
  const content = await readFile(file);
  const buffer = options.salt ? Buffer.concat([Buffer.from(`/* ${options.salt} */\n`), content]) : content;
  const response = await request.post("/api/cad-files", {
    headers: { Authorization: `Bearer ${accessToken}` },
    multipart: { file: { name: options.name ?? path.basename(file), mimeType: "application/octet-stream", buffer } },
  });
  expect([200, 201], `upload: ${await response.text()}`).toContain(response.status());
  return (await response.json()) as { id: string; original_name: string };
}

/** Wait until the CAD file is converted (`ready`); a failed conversion fails the test at once. */
export async function apiCadReady(request: APIRequestContext, accessToken: string, cadId: string, timeout = 180_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const file = await apiCall<{ status: string; error: string | null }>(request, accessToken, "get", `/api/cad-files/${cadId}`);
        if (file.status === "failed") throw new Error(`the CAD file ${cadId} failed to convert: ${file.error}`);
        return file.status;
      },
      { timeout, intervals: [1000, 2000] },
    )
    .toBe("ready");
}

export interface OutputTypeBrief {
  id: string;
  name: string;
}

/** The tenant's output type named `name` (the demo seed makes "Thumbnail" in every tenant). */
/** The id of the demo tenant's "Thumbnail 64" output type (64 px, 4 samples), made on first use:
 * the quickest real render for specs that need finished order lines. */
export async function apiSmallThumbnailType(request: APIRequestContext, admin: string): Promise<string> {
  const types = await apiCall<Array<{ id: string; name: string }>>(request, admin, "get", "/api/output-types");
  const existing = types.find((t) => t.name === "Thumbnail 64");
  if (existing) return existing.id;
  const body = { name: "Thumbnail 64", kind: "thumbnail", render_settings: { width: 64, height: 64, samples: 4 }, price: 1.25 };
  return (await apiCall<{ id: string }>(request, admin, "post", "/api/output-types", body)).id;
}

export async function apiOutputType(request: APIRequestContext, accessToken: string, name: string): Promise<OutputTypeBrief> {
  const types = await apiCall<OutputTypeBrief[]>(request, accessToken, "get", "/api/output-types");
  const found = types.find((type) => type.name === name);
  expect(found, `output type ${name} among ${types.map((t) => t.name).join(", ")}`).toBeDefined();
  return found as OutputTypeBrief;
}
