import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { HelpCatalogue } from "@/lib/help";
import { helpQueryOptions } from "@/lib/help";
import { setLanguage } from "@/i18n";
import { authStore } from "@/lib/auth";
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
  client.setQueryData(helpQueryOptions("en").queryKey, catalogue);
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

  it("shows the help in the UI's language and loads the other language's help when it changes", async () => {
    const german: HelpCatalogue = {
      version: "v1-de",
      entries: {
        "tenant.max_concurrent_renders": {
          ...catalogue.entries["tenant.max_concurrent_renders"]!,
          title: "Gleichzeitige Renderings",
          body: "Wie viele Auftragspositionen dieses Mandanten gleichzeitig gerendert werden dürfen.",
          affects: ["Auftragsdurchsatz"],
          range: "1 bis 256",
          recommendation: "Die Zahl der Render-Hosts.",
        },
      },
    };
    authStore.set({ accessToken: "a", refreshToken: "r" });
    const asked: string[] = [];
    const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      asked.push(url.searchParams.get("lang") ?? "");
      return new Response(JSON.stringify(german), { status: 200, headers: { "content-type": "application/json" } });
    });
    vi.stubGlobal("fetch", fetchMock);
    try {
      renderTip("tenant.max_concurrent_renders");
      expect(screen.getByRole("button", { name: "Help: Concurrent renders" })).toBeInTheDocument();
      act(() => setLanguage("de"));
      const button = await screen.findByRole("button", { name: "Hilfe: Gleichzeitige Renderings" });
      expect(asked).toEqual(["de"]);
      const user = userEvent.setup();
      await user.hover(button);
      const tip = screen.getByRole("tooltip");
      expect(tip).toHaveTextContent("Wirkt auf: Auftragsdurchsatz");
      expect(tip).toHaveTextContent("Bereich: 1 bis 256 · Standard: 3");
      expect(tip).toHaveTextContent("Tipp: Die Zahl der Render-Hosts.");
      act(() => setLanguage("en"));
      expect(await screen.findByRole("button", { name: "Help: Concurrent renders" })).toBeInTheDocument();
      expect(asked).toEqual(["de"]); // English is in the cache still: no second request
    } finally {
      vi.unstubAllGlobals();
      authStore.clear();
      setLanguage("en");
    }
  });
});
