import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Block, WorkersOverview } from "../api/workers";
import { Blocklist } from "./Blocklist";

const BLOCKED: Block = {
  id: 7,
  worker: "render@gpu-2",
  step: "render_still",
  failures: 3,
  blocklisted: true,
  blocklisted_at: "2026-12-03T10:00:00Z",
  last_error: "Blender crashed: CUDA error",
  last_failure_at: "2026-12-03T10:00:00Z",
  cleared_at: null,
  cleared_by: null,
};
const COUNTING: Block = { ...BLOCKED, id: 8, worker: "step@cpu-1", step: "check_cad", failures: 1, blocklisted: false, blocklisted_at: null };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** POST …/clear answers `answer`; anything else (help entries) is not found. */
function serve(answer: () => Response) {
  const cleared: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      const url = new URL(request.url);
      if (request.method === "POST" && url.pathname.startsWith("/api/workers/blocklist/")) {
        cleared.push(url.pathname);
        return answer();
      }
      return json({ error: { code: "not_found", message: "nothing here" } }, 404);
    }),
  );
  return cleared;
}

function renderList(entries: Block[], threshold = 3) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData<WorkersOverview>(["workers"], { workers: [], queues: [], blocklist: entries, blocklist_threshold: threshold });
  render(
    <QueryClientProvider client={client}>
      <Blocklist entries={entries} threshold={threshold} alertsLink={<a href="/notifications?tab=alerts">Alerts about workers</a>} />
    </QueryClientProvider>,
  );
  return client;
}

describe("the Workers page's blocklist", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lists blocklisted and counting workers with their last error; only a blocklisted one can be cleared", async () => {
    const cleared = serve(() => json([COUNTING]));
    const client = renderList([BLOCKED, COUNTING]);
    const table = screen.getByRole("table", { name: "Blocklist" });
    const blocked = within(table).getAllByRole("row").find((row) => row.textContent?.includes("render@gpu-2"));
    expect(blocked).toBeDefined();
    expect(within(blocked!).getByText("blocklisted")).toBeInTheDocument();
    expect(within(blocked!).getByText("3 of 3")).toBeInTheDocument();
    expect(within(blocked!).getByText("Blender crashed: CUDA error")).toBeInTheDocument();
    const counting = within(table).getAllByRole("row").find((row) => row.textContent?.includes("step@cpu-1"));
    expect(within(counting!).getByText("counting")).toBeInTheDocument();
    expect(within(counting!).queryByRole("button", { name: /Clear the blocklist entry/ })).toBeNull();
    expect(screen.getByRole("link", { name: "Alerts about workers" })).toHaveAttribute("href", "/notifications?tab=alerts");
    expect(screen.getByText(/fails 3 jobs of one step in a row/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Clear the blocklist entry of render@gpu-2 for render_still" }));
    await vi.waitFor(() => expect(cleared).toEqual(["/api/workers/blocklist/7/clear"]));
    await vi.waitFor(() => expect(client.getQueryData<WorkersOverview>(["workers"])?.blocklist).toEqual([COUNTING]));
  });

  it("says why a clear failed", async () => {
    serve(() => json({ error: { code: "worker_block_not_found", message: "There is no blocklist entry 7." } }, 404));
    renderList([BLOCKED]);
    await userEvent.click(screen.getByRole("button", { name: /Clear the blocklist entry/ }));
    expect(await screen.findByText("This blocklist entry no longer exists. Reload the Workers page.")).toBeInTheDocument();
  });

  it("says when the blocklist is off, and when nothing is on it", () => {
    serve(() => json([]));
    renderList([], 0);
    expect(screen.getByText(/The blocklist is off/)).toBeInTheDocument();
    expect(screen.getByText("No worker is blocklisted or counting failures.")).toBeInTheDocument();
  });
});
