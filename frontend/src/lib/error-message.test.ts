import { ApiError, errorMessage, toApiError } from "@/lib/api";
import { i18n, setLanguage } from "@/i18n";
import en from "@/i18n/errors/en.json";
import de from "@/i18n/errors/de.json";

describe("errorMessage: API errors in the UI's language", () => {
  afterEach(() => setLanguage("en"));

  it("words a known code from the errors catalogue, with the error's details", () => {
    const error = toApiError(409, {
      error: {
        code: "order_too_large",
        message: "An order may have at most 500 lines; this one would have 612.",
        details: { max_order_size: 500, lines: 612 },
      },
    });
    expect(errorMessage(error)).toBe(
      "An order may have at most 500 lines; this one would have 612. Split it into several orders.",
    );
    setLanguage("de");
    expect(errorMessage(error)).toBe(
      "Ein Auftrag darf höchstens 500 Positionen haben; dieser hätte 612. Teilen Sie ihn auf mehrere Aufträge auf.",
    );
  });

  it("joins listed details", () => {
    const error = new ApiError(422, "engine_not_allowed", "EEVEE is not allowed for this tenant.", { allowed: ["cycles", "eevee"] });
    setLanguage("de");
    expect(errorMessage(error)).toBe("Diese Render-Engine ist für den Mandanten nicht freigegeben. Erlaubt: cycles, eevee.");
  });

  it("words the reason a code gives in its details, where the catalogue has a message for it", () => {
    const error = new ApiError(422, "workflow_not_runnable", "Order lines cannot run the workflow 'Still': it has no Deliver node.", {
      workflow: "Still",
      reason: "no_deliver",
    });
    expect(errorMessage(error)).toContain("“Still”: it has no Deliver node");
    setLanguage("de");
    expect(errorMessage(error)).toContain("„Still“ nicht ausführen: Er hat keinen Knoten „Medien ausliefern“");
    const unknownReason = new ApiError(422, "workflow_not_runnable", "…", { reason: "brand_new" });
    expect(errorMessage(unknownReason)).toBe(de.workflow_not_runnable);
  });

  it("falls back to the server's message for a code the catalogue does not know", () => {
    setLanguage("de");
    const error = new ApiError(409, "brand_new_code", "Something new went wrong.");
    expect(errorMessage(error)).toBe("Something new went wrong.");
  });

  it("says the server cannot be reached, and words a bare HTTP failure with its status", () => {
    setLanguage("de");
    expect(errorMessage(new ApiError(0, "network_error", "Automat cannot be reached."))).toBe(de.network);
    expect(errorMessage(toApiError(502, "<html>Bad gateway</html>"))).toBe(de.unknown.replace("{{code}}", "502"));
  });

  it("has every message of the catalogue in both languages, and switches with i18next", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    const error = new ApiError(401, "invalid_credentials", "E-mail or password is wrong.");
    expect(errorMessage(error)).toBe(en.invalid_credentials);
    void i18n.changeLanguage("de");
    expect(errorMessage(error)).toBe(de.invalid_credentials);
  });
});
