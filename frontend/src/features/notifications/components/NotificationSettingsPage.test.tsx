import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MyPreferences } from "./NotificationSettingsPage";
import type { Preferences } from "./preferences";

const SAVED: Preferences = {
  locale: "en",
  timezone: "UTC",
  items: [
    {
      event_type: "order_rejected",
      label: "Order rejected",
      help: "A project manager rejected your order.",
      channel: "email",
      frequency: "immediate",
      source: "tenant",
      default: "immediate",
    },
  ],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** GET answers the saved preferences; PUT waits for `answer` (to see the page before the server replies). */
function serve(answer: () => Promise<Response>) {
  const puts: unknown[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    if (url.pathname === "/api/notification-preferences" && request.method === "PUT") {
      puts.push(await request.json());
      return answer();
    }
    if (url.pathname === "/api/notification-preferences") return json(SAVED);
    return json({ error: { code: "not_found", message: "no help here" } }, 404);
  });
  vi.stubGlobal("fetch", fetch);
  return puts;
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MyPreferences />
    </QueryClientProvider>,
  );
}

describe("notification settings", () => {
  it("shows a change at once, as the user's own, before the server answers", async () => {
    let reply: (response: Response) => void = () => {};
    const puts = serve(() => new Promise((resolve) => (reply = resolve)));
    renderPage();
    const select = await screen.findByRole("combobox", { name: "Order rejected: E-mail" });
    expect(screen.getByText("Tenant default: immediately")).toBeInTheDocument();
    expect(screen.getByText("A project manager rejected your order.")).toBeInTheDocument(); // no help entry: the registry's text

    await userEvent.selectOptions(select, "daily");
    expect(select).toHaveValue("daily");
    expect(screen.getByText("Your choice · default: immediately")).toBeInTheDocument();
    await vi.waitFor(() => expect(puts).toEqual([{ items: [{ event_type: "order_rejected", channel: "email", frequency: "daily" }] }]));

    const first = SAVED.items[0]!;
    reply(json({ ...SAVED, items: [{ ...first, frequency: "daily", source: "user" }] }));
    await vi.waitFor(() => expect(select).toHaveValue("daily"));
  });

  it("goes back to what was saved when the server refuses", async () => {
    serve(async () => json({ error: { code: "invalid_preference", message: "Order rejected is not sent by email" } }, 422));
    renderPage();
    const select = await screen.findByRole("combobox", { name: "Order rejected: E-mail" });
    await userEvent.selectOptions(select, "never");
    await vi.waitFor(() => expect(select).toHaveValue("immediate"));
    expect(screen.getByText("Tenant default: immediately")).toBeInTheDocument();
  });
});
