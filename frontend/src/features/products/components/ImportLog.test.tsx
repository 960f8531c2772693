import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { ImportLog } from "./ImportLog";
import type { LogEntry, LogFilter, RowCounts } from "./import-summary";

const COUNTS: RowCounts = { imported: 399, updated: 0, warning: 0, skipped: 1 };

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

function entries(from: number, to: number): LogEntry[] {
  return Array.from({ length: to - from }, (_, i) => ({ row: from + i, status: "imported", pim_id: `P-${from + i}`, reason: null }));
}

/** The server's /rows: 200 a page by cursor; status=skipped answers the one skipped row. */
function serve(requests: URL[]) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(url);
    if (url.searchParams.get("status") === "skipped") {
      return json({ items: [{ row: 3, status: "skipped", pim_id: null, reason: "missing pim_id" }], next_cursor: null, total: 1 });
    }
    return url.searchParams.get("cursor") === "page-2"
      ? json({ items: entries(202, 401), next_cursor: null, total: 400 })
      : json({ items: entries(2, 202), next_cursor: "page-2", total: 400 });
  });
}

function Harness() {
  const [filter, setFilter] = useState<LogFilter>("all");
  return <ImportLog importId="imp-1" counts={COUNTS} filter={filter} onFilter={setFilter} />;
}

function renderLog() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
}

describe("ImportLog", () => {
  it("shows the first 200 rows and loads the next page on request", async () => {
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderLog();
    const table = await screen.findByRole("table", { name: "Import log" });
    expect(within(table).getAllByRole("row")).toHaveLength(201); // header + 200
    expect(screen.getByText("Showing 200 of 400 rows")).toBeInTheDocument();
    expect(requests[0]?.pathname).toBe("/api/imports/imp-1/rows");
    expect(requests[0]?.searchParams.get("page_size")).toBe("200");

    await userEvent.click(screen.getByRole("button", { name: "Load more rows" }));
    await vi.waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(400));
    expect(requests[1]?.searchParams.get("cursor")).toBe("page-2");
    expect(screen.queryByRole("button", { name: "Load more rows" })).not.toBeInTheDocument();
  });

  it("offers a chip per status that has rows, with its count, and asks the server for that status", async () => {
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderLog();
    const chips = screen.getByRole("group", { name: "Show rows" });
    expect(within(chips).getAllByRole("button").map((b) => b.textContent)).toEqual(["All rows 400", "Skipped 1", "Imported 399"]);

    await userEvent.click(within(chips).getByRole("button", { name: /Skipped/ }));
    const table = await screen.findByRole("table", { name: "Import log" });
    await vi.waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));
    expect(within(table).getByText("missing pim_id")).toBeInTheDocument();
    expect(requests.at(-1)?.searchParams.get("status")).toBe("skipped");
    expect(within(chips).getByRole("button", { name: /Skipped/ })).toHaveAttribute("aria-pressed", "true");
  });
});
