import { describe, expect, it } from "vitest";
import type { Product } from "../api/list-products";
import { changesOf, formFromProduct, hasErrors, validate } from "./product-form";

const product = {
  id: "p1",
  tenant_id: "t1",
  pim_id: "P-1003",
  name: "Deep groove ball bearing",
  category_key: "ball",
  lagertyp: null,
  attributes: {},
  cad_file_id: null,
  cad_file: null,
  material_overrides: { Cage: "Brass" },
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
} as unknown as Product;

describe("product form", () => {
  it("sends nothing when nothing changed", () => {
    expect(changesOf(product, formFromProduct(product))).toEqual({});
  });

  it("sends only the changed fields, trimmed, and an emptied key as null", () => {
    const form = { ...formFromProduct(product), name: "  Renamed  ", category: " ", lagertyp: "Rillenkugellager" };
    expect(changesOf(product, form)).toEqual({ name: "Renamed", category_key: null, lagertyp: "Rillenkugellager" });
  });

  it("sends the overrides as an object, empty rows dropped, and {} when all are removed", () => {
    const form = formFromProduct(product);
    form.overrides = [
      { part: "Cage", material: "Brass" },
      { part: "", material: "" },
      { part: " Ring ", material: " Steel " },
    ];
    expect(changesOf(product, form)).toEqual({ material_overrides: { Cage: "Brass", Ring: "Steel" } });
    expect(changesOf(product, { ...form, overrides: [] })).toEqual({ material_overrides: {} });
  });

  it("refuses an empty name, half-filled and duplicate override rows", () => {
    const form = formFromProduct(product);
    form.name = "   ";
    form.overrides = [
      { part: "Cage", material: "Brass" },
      { part: "Ring", material: "" },
      { part: "", material: "Steel" },
      { part: "Cage", material: "Steel" },
    ];
    const errors = validate(form);
    expect(hasErrors(errors)).toBe(true);
    expect(errors.name).toMatch(/needs a name/);
    expect(errors.overrides).toEqual({
      1: "Choose a material.",
      2: "Name the part.",
      3: "“Cage” is overridden twice (row 1).",
    });
    expect(validate(formFromProduct(product))).toEqual({});
  });

  it("refuses values longer than the API takes", () => {
    const form = { ...formFromProduct(product), name: "x".repeat(501), lagertyp: "y".repeat(101) };
    const errors = validate(form);
    expect(errors.name).toMatch(/500/);
    expect(errors.lagertyp).toMatch(/100/);
  });
});
