import { describe, expect, it } from "vitest";
import { productHistory } from "./product-history";

const entry = (action: string, actor_name: string | null, detail: Record<string, unknown> = {}) => ({
  id: 1,
  action,
  message: action,
  actor_name,
  detail,
  created_at: "2026-12-02T10:00:00Z",
});

describe("productHistory", () => {
  it("says who linked a CAD file: a person by name, or Automat when it linked by itself", () => {
    const lines = productHistory([
      entry("product.cad_linked", "Paul Manager", { cad_file_name: "6204.stp", reason: "by_hand" }),
      entry("product.cad_linked", "Automat", { cad_file_name: "6204.stp", reason: "cad_file_ready" }),
      entry("product.cad_linked", "Automat", { cad_file_name: "6204-v2.stp", reason: "newer_version" }),
      entry("product.cad_unlinked", "Paul Manager", { cad_file_name: null, reason: "by_hand" }),
    ]);
    expect(lines.map((line) => [`${line.what} by ${line.who}`, line.why])).toEqual([
      ["Linked to CAD file 6204.stp by Paul Manager", null],
      ["Linked to CAD file 6204.stp by Automat", "the file its import named became ready"],
      ["Linked to CAD file 6204-v2.stp by Automat", "a newer version of its file became ready"],
      ["CAD file unlinked by Paul Manager", null],
    ]);
  });

  it("names the fields an edit changed, and the creation", () => {
    const lines = productHistory([
      entry("product.update", "Paul Manager", { fields: ["lagertyp", "name", "material_overrides"] }),
      entry("product.create", "Paul Manager", { pim_id: "P-1" }),
    ]);
    expect(lines.map((line) => line.what)).toEqual(["Changed the bearing type, name, material overrides", "Created"]);
  });

  it("falls back to the entry's message, and says when its user is gone", () => {
    const [line] = productHistory([{ ...entry("product.something", null), message: "Something happened" }]);
    expect(line).toMatchObject({ what: "Something happened", who: "a user no longer here" });
  });
});
