import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { authStore } from "@/lib/auth";
import { LoginPage } from "./LoginPage";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function renderLogin(onLoggedIn = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <LoginPage onLoggedIn={onLoggedIn} />
    </QueryClientProvider>,
  );
  return onLoggedIn;
}

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("E-mail"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Log in" }));
}

describe("LoginPage", () => {
  beforeEach(() => authStore.clear());

  it("stores the tokens and reports success", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(200, { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 1800 })));
    const onLoggedIn = renderLogin();
    await fillAndSubmit("pm@demo.local", "secret");
    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalled());
    expect(authStore.get()).toEqual({ accessToken: "a", refreshToken: "r" });
  });

  it("says plainly that e-mail or password is wrong", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(401, { error: { code: "invalid_credentials", message: "E-mail or password is wrong." } })));
    renderLogin();
    await fillAndSubmit("pm@demo.local", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong e-mail or password.");
    expect(authStore.get()).toBeNull();
  });

  it("waits out the rate limit with the server's retry-after", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        json(429, { error: { code: "too_many_attempts", message: "Too many failed logins; try again later.", details: { retry_after_s: 42 } } }),
      ),
    );
    renderLogin();
    await fillAndSubmit("pm@demo.local", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many failed attempts. Try again in 42 seconds.");
    expect(screen.getByRole("button", { name: "Log in" })).toBeDisabled();
  });
});
