import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { HelpCatalogue } from "@/lib/help";
import { helpQueryOptions } from "@/lib/help";
import { HelpTooltip } from "./HelpTooltip";

const catalogue: HelpCatalogue = {
  version: "v1",
  entries: {
    "tenant.max_concurrent_renders": {
      key: "tenant.max_concurrent_renders",
      title: "Concurrent renders",
      body: "How many of this tenant's order lines may render at the same time.",
      affects: ["order throughput"],
      unit: null,
      range: "1 to 256",
      default: "3",
      recommendation: "The number of render hosts.",
      warning: null,
    },
  },
};

function renderTip(entry: string) {
  const client = new QueryClient();
  client.setQueryData(helpQueryOptions().queryKey, catalogue);
  return render(
    <QueryClientProvider client={client}>
      <label htmlFor="x">Renders</label> <HelpTooltip entry={entry} /> <input id="x" />
    </QueryClientProvider>,
  );
}

describe("HelpTooltip", () => {
  it("is reached by keyboard, named by the entry's title, and describes it with the registry's text", async () => {
    renderTip("tenant.max_concurrent_renders");
    const user = userEvent.setup();
    await user.tab();
    const button = screen.getByRole("button", { name: "Help: Concurrent renders" });
    expect(button).toHaveFocus();
    const tip = screen.getByRole("tooltip");
    expect(button).toHaveAccessibleDescription(/How many of this tenant's order lines may render/);
    expect(tip).toHaveTextContent("Affects: order throughput");
    expect(tip).toHaveTextContent("Range: 1 to 256 · Default: 3");
    expect(tip).toHaveTextContent("Tip: The number of render hosts.");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("tooltip")).toBeNull();
    expect(button).toHaveFocus();
  });

  it("says the key while the registry has no such entry", () => {
    renderTip("setting.unknown");
    expect(screen.getByRole("button", { name: "Help: setting.unknown" })).toBeInTheDocument();
  });
});
