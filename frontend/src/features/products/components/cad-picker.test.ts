import { describe, expect, it } from "vitest";
import { PICKER_SHOWN, cadChoices, cadChoicesQuery } from "./cad-picker";

const file = (id: string) => ({ id, original_name: `${id}.stp`, status: "ready" });

describe("cadChoicesQuery", () => {
  it("asks the server to search by name, ready files only unless every state is asked for", () => {
    expect(cadChoicesQuery("  6204   2rsr ", { allStates: false, tenantId: "t1" })).toEqual({
      q: "6204 2rsr",
      status: "ready",
      page_size: PICKER_SHOWN + 2,
      tenant_id: "t1",
    });
    expect(cadChoicesQuery("", { allStates: true, tenantId: "t1" })).toEqual({ page_size: PICKER_SHOWN + 2, tenant_id: "t1" });
    expect(cadChoicesQuery("x".repeat(300), { allStates: true, tenantId: "t1" }).q).toHaveLength(200);
  });

  it("searches the product's tenant, whatever tenant a global admin has picked (or All tenants)", () => {
    expect(cadChoicesQuery("6204", { allStates: false, tenantId: "acme" }).tenant_id).toBe("acme");
  });
});

describe("cadChoices", () => {
  it("keeps the server's order and does not offer the file that is linked already", () => {
    const answer = [file("b"), file("a"), file("c")];
    expect(cadChoices(answer, "a").shown.map((f) => f.id)).toEqual(["b", "c"]);
    expect(cadChoices(answer, null)).toEqual({ shown: answer, more: false });
  });

  it("says when more files match than it shows", () => {
    const many = Array.from({ length: PICKER_SHOWN + 2 }, (_, i) => file(`f${i}`));
    expect(cadChoices(many, null)).toMatchObject({ more: true });
    expect(cadChoices(many, null).shown).toHaveLength(PICKER_SHOWN);
    // The linked file among them leaves one more than shown: still more.
    expect(cadChoices(many, "f0")).toMatchObject({ more: true });
    expect(cadChoices(many.slice(0, PICKER_SHOWN + 1), "f0")).toMatchObject({ more: false });
  });
});
