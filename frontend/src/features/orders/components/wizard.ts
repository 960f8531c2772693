/**
 * The order wizard's arithmetic: every picked product × every picked output type is a line (as
 * the API makes them), each costs its output type's price; sizes come from `render_settings`.
 */
import type { Schemas } from "@/lib/api";

export type OutputTypeLike = Pick<Schemas["OutputTypeRead"], "id" | "name" | "kind" | "price" | "render_settings">;
export interface ProductLike {
  id: string;
  pim_id: string;
  name: string;
}

export interface PlannedLine<P extends ProductLike = ProductLike, O extends OutputTypeLike = OutputTypeLike> {
  key: string;
  product: P;
  outputType: O;
  /** In cents. */
  priceCents: number;
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

/** The lines of the order, products outer, output types inner; duplicates picked twice count once. */
export function planLines<P extends ProductLike, O extends OutputTypeLike>(
  products: readonly P[],
  outputTypes: readonly O[],
): Array<PlannedLine<P, O>> {
  const lines: Array<PlannedLine<P, O>> = [];
  const seen = new Set<string>();
  for (const product of products) {
    for (const outputType of outputTypes) {
      const key = `${product.id}:${outputType.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push({ key, product, outputType, priceCents: toCents(outputType.price) });
    }
  }
  return lines;
}

export function totalCents(lines: ReadonlyArray<Pick<PlannedLine, "priceCents">>): number {
  return lines.reduce((sum, line) => sum + line.priceCents, 0);
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
  if (kind === "turntable" && typeof s.frames === "number") parts.push(`${s.frames} frames`);
  return parts.join(" · ");
}

/** Toggle `id` in a selection, keeping the order in which things were picked. */
export function toggle(selection: readonly string[], id: string): string[] {
  return selection.includes(id) ? selection.filter((x) => x !== id) : [...selection, id];
}
