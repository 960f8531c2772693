import { mappingFromChoices, missingColumnsDetails, missingRequired, parseMapping } from "./mapping";

describe("parseMapping", () => {
  it("takes an empty text as no mapping", () => {
    expect(parseMapping("")).toEqual({ ok: true, mapping: null });
    expect(parseMapping("  \n")).toEqual({ ok: true, mapping: null });
    expect(parseMapping("{}")).toEqual({ ok: true, mapping: null });
  });

  it("accepts header → field and ignore", () => {
    expect(parseMapping('{"Nr.": "pim_id", "Text": "name", "Zeichnung": "ignore"}')).toEqual({
      ok: true,
      mapping: { "Nr.": "pim_id", Text: "name", Zeichnung: "ignore" },
    });
  });

  it("refuses what the API would refuse, saying why", () => {
    expect(parseMapping("{nope")).toMatchObject({ ok: false, error: expect.stringMatching(/Not valid JSON/) });
    expect(parseMapping('["pim_id"]')).toMatchObject({ ok: false, error: expect.stringMatching(/JSON object/) });
    expect(parseMapping("null")).toMatchObject({ ok: false });
    const unknown = parseMapping('{"Nr.": "sku", "Menge": 3}');
    expect(unknown).toMatchObject({ ok: false });
    expect(!unknown.ok && unknown.error).toBe('Unknown field for Nr. → "sku", Menge → 3. Use one of pim_id, name, category_key, lagertyp, cad_file or "ignore".');
  });
});

describe("the column picker", () => {
  it("turns the chosen selects into a mapping", () => {
    expect(mappingFromChoices({ "Nr.": "pim_id", Text: "", Zeichnung: "ignore" })).toEqual({ "Nr.": "pim_id", Zeichnung: "ignore" });
    expect(mappingFromChoices({ Text: "" })).toBeNull();
  });

  it("knows which missing fields still need a column", () => {
    expect(missingRequired({ "Nr.": "pim_id" }, ["pim_id", "name"])).toEqual(["name"]);
    expect(missingRequired({ "Nr.": "pim_id", Text: "name" })).toEqual([]);
  });

  it("reads the header row from a missing_columns error", () => {
    expect(missingColumnsDetails({ missing: ["pim_id"], header: ["Nr.", "Bezeichnung"] })).toEqual({ missing: ["pim_id"], header: ["Nr.", "Bezeichnung"] });
    expect(missingColumnsDetails({ unknown: ["x"] })).toBeNull();
    expect(missingColumnsDetails(undefined)).toBeNull();
  });
});
