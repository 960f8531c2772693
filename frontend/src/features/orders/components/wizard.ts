/**
 * The order wizard's arithmetic: every picked product × every picked output type is a line (as
 * the API makes them), each costs its output type's price unless it cannot render (no usable CAD
 * file) or completed in an earlier round; sizes come from `render_settings`.
 */
import type { Schemas } from "@/lib/api";
import { canRender } from "./wizard-state";
import type { CadState } from "./wizard-state";
import { i18n } from "@/i18n";

export type OutputTypeLike = Pick<Schemas["OutputTypeRead"], "id" | "name" | "kind" | "price" | "render_settings">;
export interface ProductLike {
  id: string;
  pim_id: string;
  name: string;
  /** The product's CAD file as the wizard sees it (absent: assumed ready). */
  cad?: CadState;
}

/** What happens to a line when the order is submitted. */
export type LineFate = "render" | "no_cad" | "kept";

export interface PlannedLine<P extends ProductLike = ProductLike, O extends OutputTypeLike = OutputTypeLike> {
  key: string;
  product: P;
  outputType: O;
  /** The output type's price, in cents. */
  priceCents: number;
  /** render: rendered and charged; no_cad: cannot render (no usable CAD file), not charged;
   * kept: completed in an earlier round of this order, kept with its media, not charged again. */
  fate: LineFate;
}

/** A decimal price ("12.50", 12.5) in cents; anything unreadable counts as 0. */
export function toCents(price: string | number | null | undefined): number {
  const value = typeof price === "number" ? price : Number.parseFloat(price ?? "");
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

/** "12.50" from 1250 cents. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}

/** "EUR 1,234.50": prices with the tenant's currency code. */
export function formatMoney(cents: number, currency: string): string {
  return `${currency} ${formatCents(cents)}`;
}

/**
 * The lines of the order, products outer, output types inner; duplicates picked twice count once.
 * `kept`: keys ("product:type") of lines that completed in an earlier round and stay as they are.
 */
export function planLines<P extends ProductLike, O extends OutputTypeLike>(
  products: readonly P[],
  outputTypes: readonly O[],
  kept: ReadonlySet<string> = new Set(),
): Array<PlannedLine<P, O>> {
  const lines: Array<PlannedLine<P, O>> = [];
  const seen = new Set<string>();
  for (const product of products) {
    for (const outputType of outputTypes) {
      const key = `${product.id}:${outputType.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fate: LineFate = kept.has(key) ? "kept" : product.cad === undefined || canRender({ cad: product.cad }) ? "render" : "no_cad";
      lines.push({ key, product, outputType, priceCents: toCents(outputType.price), fate });
    }
  }
  return lines;
}

/** The sum of the lines that are charged (the ones that render). */
export function totalCents(lines: ReadonlyArray<Pick<PlannedLine, "priceCents"> & Partial<Pick<PlannedLine, "fate">>>): number {
  return lines.reduce((sum, line) => sum + (line.fate === undefined || line.fate === "render" ? line.priceCents : 0), 0);
}

/** How many lines render, cannot render, or are kept from an earlier round. */
export function countFates(lines: ReadonlyArray<Pick<PlannedLine, "fate">>): Record<LineFate, number> {
  const counts: Record<LineFate, number> = { render: 0, no_cad: 0, kept: 0 };
  for (const line of lines) counts[line.fate] += 1;
  return counts;
}

/**
 * "256 × 256 px", "1024 × 1024 px · 36 frames" (turntables), "" for exports without a size. The
 * API stores settings filled in, so frames appear for every kind: only turntables show them.
 */
export function outputSize(settings: Record<string, unknown> | null | undefined, kind?: string): string {
  if (kind === "glb" || kind === "blend") return "";
  const s = settings ?? {};
  const width = typeof s.width === "number" ? s.width : null;
  const height = typeof s.height === "number" ? s.height : null;
  const parts: string[] = [];
  if (width && height) parts.push(`${width} × ${height} px`);
  if (kind === "turntable" && typeof s.frames === "number") parts.push(i18n.t("orders:wizard.frames", { count: s.frames }));
  return parts.join(" · ");
}

/** Toggle `id` in a selection, keeping the order in which things were picked. */
export function toggle(selection: readonly string[], id: string): string[] {
  return selection.includes(id) ? selection.filter((x) => x !== id) : [...selection, id];
}
