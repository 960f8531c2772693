import { act } from "react";
import { i18n } from "@/i18n";
import { ApiError } from "@/lib/api";
import { apiErrorText, fieldErrorsOf, settingErrorText } from "./errors";

describe("the API's 422s at their field", () => {
  afterEach(() => act(() => void i18n.changeLanguage("en")));

  it("names the field of request validation and of an invalid tenant config", () => {
    const validation = new ApiError(422, "validation_error", "The request is not valid.", [
      { loc: ["body", "config", "max_concurrent_renders"], msg: "Input should be less than or equal to 256" },
      { loc: ["body", "config", "render_engines_allowed", "0"], msg: "Input should be 'cycles' or 'eevee'" },
    ]);
    expect(fieldErrorsOf(validation)).toEqual({
      max_concurrent_renders: "Input should be less than or equal to 256",
      render_engines_allowed: "Input should be 'cycles' or 'eevee'",
    });
    const merged = new ApiError(422, "invalid_tenant_config", "The tenant config is not valid.", [
      { loc: ["fallback_material"], msg: "String should match pattern" },
    ]);
    expect(Object.keys(fieldErrorsOf(merged))).toEqual(["fallback_material"]);
    expect(fieldErrorsOf(new ApiError(409, "stale_tenant_config", "stale"))).toEqual({});
  });

  it("says a setting's limits in the UI's language", async () => {
    const error = new ApiError(422, "invalid_setting", "x must be at most 4096.", {
      key: "render_default_samples",
      minimum: 1,
      maximum: 4096,
      choices: null,
    });
    const t = i18n.getFixedT("en", "settings");
    expect(settingErrorText(error, t)).toBe("Not accepted: enter a value from 1 to 4,096.");
    await act(() => i18n.changeLanguage("de"));
    expect(settingErrorText(error, i18n.getFixedT("de", "settings"))).toBe(
      "Nicht angenommen: Geben Sie einen Wert von 1 bis 4.096 ein.",
    );
    expect(apiErrorText(new ApiError(409, "stale_tenant_config", "stale"), i18n.getFixedT("de", "settings"))).toMatch(
      /^Jemand anderes hat diese Einstellungen geändert/,
    );
  });
});
