/** The product edit form: what it holds, what is wrong with it, and the PATCH it amounts to. */
import type { Product } from "../api/list-products";
import type { ProductUpdate } from "../api/product";
import { i18n } from "@/i18n";

export const LIMITS = { name: 500, key: 100, part: 255, material: 120 } as const;

export interface OverrideRow {
  part: string;
  material: string;
}

export interface ProductForm {
  name: string;
  category: string;
  lagertyp: string;
  overrides: OverrideRow[];
}

export interface FormErrors {
  name?: string;
  category?: string;
  lagertyp?: string;
  /** Per row of `overrides`, what is wrong with it. */
  overrides?: Record<number, string>;
}

export function formFromProduct(product: Product): ProductForm {
  return {
    name: product.name,
    category: product.category_key ?? "",
    lagertyp: product.lagertyp ?? "",
    overrides: Object.entries(product.material_overrides).map(([part, material]) => ({ part, material })),
  };
}

/** What the user must fix before saving; an empty object when the form is fine. */
export function validate(form: ProductForm): FormErrors {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = i18n.t("products:form.needsName");
  else if (name.length > LIMITS.name) errors.name = i18n.t("products:form.atMost", { count: LIMITS.name });
  if (form.category.trim().length > LIMITS.key) errors.category = i18n.t("products:form.atMost", { count: LIMITS.key });
  if (form.lagertyp.trim().length > LIMITS.key) errors.lagertyp = i18n.t("products:form.atMost", { count: LIMITS.key });
  const rows: Record<number, string> = {};
  const seen = new Map<string, number>();
  form.overrides.forEach((row, index) => {
    const part = row.part.trim();
    const material = row.material.trim();
    if (!part && !material) return; // an empty row is dropped
    if (!part) rows[index] = i18n.t("products:form.namePart");
    else if (!material) rows[index] = i18n.t("products:form.chooseMaterial");
    else if (part.length > LIMITS.part) rows[index] = i18n.t("products:form.partTooLong", { count: LIMITS.part });
    else if (material.length > LIMITS.material) rows[index] = i18n.t("products:form.materialTooLong", { count: LIMITS.material });
    else if (seen.has(part)) rows[index] = i18n.t("products:form.twice", { part, row: (seen.get(part) ?? 0) + 1 });
    if (part) seen.set(part, seen.get(part) ?? index);
  });
  if (Object.keys(rows).length > 0) errors.overrides = rows;
  return errors;
}

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0;
}

function overridesOf(rows: OverrideRow[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const row of rows) {
    const part = row.part.trim();
    const material = row.material.trim();
    if (part && material) result[part] = material;
  }
  return result;
}

function sameOverrides(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/** The PATCH body: only the fields that changed; an emptied category or bearing type is `null`. */
export function changesOf(product: Product, form: ProductForm): ProductUpdate {
  const body: ProductUpdate = {};
  const name = form.name.trim();
  if (name !== product.name) body.name = name;
  const category = form.category.trim() || null;
  if (category !== (product.category_key ?? null)) body.category_key = category;
  const lagertyp = form.lagertyp.trim() || null;
  if (lagertyp !== (product.lagertyp ?? null)) body.lagertyp = lagertyp;
  const overrides = overridesOf(form.overrides);
  if (!sameOverrides(overrides, product.material_overrides)) body.material_overrides = overrides;
  return body;
}
