import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { i18n, setLanguage } from "@/i18n";
import { authStore } from "@/lib/auth";
import { meQueryOptions } from "@/lib/session";
import type { Me } from "@/lib/session";
import { LanguageSelect } from "./LanguageSelect";

const me: Me = {
  id: "u1",
  email: "pm@demo.local",
  full_name: "Paula",
  role: "project_manager",
  tenant: null,
  must_change_password: false,
  permissions: [],
  locale: null,
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("LanguageSelect", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    authStore.clear();
    setLanguage("en");
  });

  function mount(answer: (body: unknown) => Response) {
    authStore.set({ accessToken: "a", refreshToken: "r" });
    const sent: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request) => {
        const body: unknown = await input.json();
        sent.push({ method: input.method, path: new URL(input.url).pathname, body });
        return answer(body);
      }),
    );
    const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
    client.setQueryData(meQueryOptions().queryKey, me);
    render(
      <QueryClientProvider client={client}>
        <LanguageSelect />
      </QueryClientProvider>,
    );
    return { client, sent };
  }

  it("switches the UI at once, <html lang> with it, and stores the language on the user", async () => {
    const { client, sent } = mount((body) => json(200, { ...(body as object), timezone: "UTC", items: [] }));
    await userEvent.setup().selectOptions(screen.getByRole("combobox", { name: "Language" }), "Deutsch");
    expect(i18n.language).toBe("de");
    expect(document.documentElement.lang).toBe("de");
    expect(await screen.findByRole("combobox", { name: "Sprache" })).toHaveValue("de");
    await waitFor(() =>
      expect(sent).toEqual([{ method: "PUT", path: "/api/notification-preferences", body: { locale: "de" } }]),
    );
    expect(client.getQueryData<Me>(meQueryOptions().queryKey)?.locale).toBe("de");
  });

  it("goes back to the language it was in when the server refuses", async () => {
    const { client } = mount(() => json(422, { error: { code: "validation_error", message: "no" } }));
    await userEvent.setup().selectOptions(screen.getByRole("combobox", { name: "Language" }), "Deutsch");
    await waitFor(() => expect(i18n.language).toBe("en"));
    expect(screen.getByRole("combobox", { name: "Language" })).toHaveValue("en");
    expect(client.getQueryData<Me>(meQueryOptions().queryKey)?.locale).toBeNull();
  });
});
