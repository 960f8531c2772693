import { slugOf } from "./tenants";

describe("a slug from a tenant's name", () => {
  it("is lower-case letters, digits and single dashes, as the API accepts", () => {
    expect(slugOf("ACME Industrial GmbH")).toBe("acme-industrial-gmbh");
    expect(slugOf("  Müller & Söhne — Lager 2 ")).toBe("muller-sohne-lager-2");
    expect(slugOf("Straße")).toBe("strasse");
    expect(slugOf("---")).toBe("");
    expect(slugOf("x".repeat(80))).toHaveLength(63);
    expect(slugOf(`${"a".repeat(62)} b`)).toMatch(/^a{62}$/);
  });
});
