/**
 * The order wizard's state, kept across Back, Refresh and a detour: the step lives in the URL
 * (`?step=2`), the picks, title and notes in sessionStorage (per tab; one entry for a new order,
 * one per draft being edited). Products that cannot render (no CAD file, or a failed one) are not
 * picked: they would only fail, so "select all" leaves them out and says how many.
 */
import { tenantScope } from "@/lib/tenant-scope";

/** What a product's CAD file lets it do in an order. */
export type CadState = "ready" | "processing" | "none" | "failed";

export interface PickedProduct {
  id: string;
  pim_id: string;
  name: string;
  cad: CadState;
}

export interface WizardState {
  products: PickedProduct[];
  outputTypeIds: string[];
  title: string;
  notes: string;
}

export type Step = 1 | 2 | 3;

export const EMPTY_WIZARD: WizardState = { products: [], outputTypeIds: [], title: "", notes: "" };

/** A CAD file's status (null: no file linked) as the wizard sees it. */
export function cadState(status: string | null | undefined): CadState {
  if (!status) return "none";
  if (status === "ready" || status === "failed") return status;
  return "processing"; // uploaded or processing: it renders once it is ready
}

/** Whether lines of this product can render (a CAD file that is or will be ready). */
export const canRender = (product: { cad: CadState }): boolean => product.cad === "ready" || product.cad === "processing";

/** The badge a product carries in the wizard (null: nothing to say). */
export function cadLabel(cad: CadState): string | null {
  return { none: "no CAD", failed: "CAD failed", processing: "CAD processing", ready: null }[cad];
}

/** "?step=" of the URL: 1, 2 or 3; anything else is no step (the first). */
export function parseStep(value: unknown): Step | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return n === 1 || n === 2 || n === 3 ? n : undefined;
}

/** The step to show: the asked one, unless what it needs was not picked yet (a link to step 3 of
 * an empty wizard shows step 1). */
export function reachableStep(asked: Step | undefined, state: WizardState): Step {
  const step = asked ?? 1;
  if (state.products.length === 0) return 1;
  if (state.outputTypeIds.length === 0) return Math.min(step, 2) as Step;
  return step;
}

/** Whether the wizard holds work that leaving would lose (anything other than where it started). */
export function hasChanges(state: WizardState, initial: WizardState = EMPTY_WIZARD): boolean {
  const ids = (s: WizardState) => [s.products.map((p) => p.id).sort(), [...s.outputTypeIds].sort(), s.title.trim(), s.notes.trim()];
  return JSON.stringify(ids(state)) !== JSON.stringify(ids(initial));
}

/** Pick or unpick one product; one that cannot render is never picked. */
export function togglePick(picked: readonly PickedProduct[], product: PickedProduct): PickedProduct[] {
  if (picked.some((p) => p.id === product.id)) return picked.filter((p) => p.id !== product.id);
  return canRender(product) ? [...picked, product] : [...picked];
}

export interface AddResult {
  products: PickedProduct[];
  /** Newly picked. */
  added: number;
  /** Not picked because they cannot render. */
  leftOut: number;
}

/** Pick every candidate that can render and is not picked yet ("select all"). */
export function addPicks(picked: readonly PickedProduct[], candidates: readonly PickedProduct[]): AddResult {
  const have = new Set(picked.map((p) => p.id));
  const products = [...picked];
  let added = 0;
  let leftOut = 0;
  for (const candidate of candidates) {
    if (have.has(candidate.id)) continue;
    have.add(candidate.id);
    if (!canRender(candidate)) {
      leftOut += 1;
      continue;
    }
    products.push(candidate);
    added += 1;
  }
  return { products, added, leftOut };
}

/** "Picked 118 of 120 matching; 2 without a usable CAD file were left out." */
export function addSummary(result: Pick<AddResult, "added" | "leftOut">, matching: number): string {
  const head = `Picked ${result.added.toLocaleString("en")} of ${matching.toLocaleString("en")} matching`;
  if (result.leftOut === 0) return `${head}.`;
  const they = result.leftOut === 1 ? "1 without a usable CAD file was" : `${result.leftOut.toLocaleString("en")} without a usable CAD file were`;
  return `${head}; ${they} left out.`;
}

/** "117 products × 2 output types = 234 lines": what an order of these picks holds. */
export function linesOf(products: number, outputTypes: number): string {
  const count = (n: number, what: string) => `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;
  return `${count(products, "product")} × ${count(outputTypes, "output type")} = ${count(products * outputTypes, "line")}`;
}

/** "1,204" or, for the search's estimate of a broad match (`total_is_estimate` true), "about 8,200". */
export function matchingCount(matching: number, exact = true): string {
  return `${exact ? "" : "about "}${matching.toLocaleString("en")}`;
}

/**
 * Whether "select all" may pick `matching` products: every product is a line in each of the
 * `outputTypes` picked (at least one, when none is picked yet), and an order holds at most
 * `maxOrderSize` lines. `exact` false: `matching` is the search's estimate.
 */
export function selectAllLimit(
  matching: number,
  maxOrderSize: number | undefined,
  outputTypes = 0,
  exact = true,
): string | null {
  if (maxOrderSize === undefined || matching * Math.max(1, outputTypes) <= maxOrderSize) return null;
  const found =
    outputTypes > 1 ? linesOf(matching, outputTypes) : `${matchingCount(matching, exact)} products match`;
  return `${found}; an order holds at most ${maxOrderSize.toLocaleString("en")} lines. Narrow the search.`;
}

// -- sessionStorage -------------------------------------------------------------------------------

const PREFIX = "automat.order-wizard";

/**
 * The storage key of a new order's wizard, or of the wizard editing draft `orderId`. A global
 * admin's new order is kept per picked tenant: picks of one tenant are not offered in another.
 */
export const wizardKey = (orderId?: string, tenantId: string | null = tenantScope.tenantId()): string =>
  orderId ? `${PREFIX}:edit:${orderId}` : tenantId ? `${PREFIX}:new:${tenantId}` : `${PREFIX}:new`;

interface Stored extends WizardState {
  /** Edits of a draft: the draft's `updated_at` they started from (a newer draft wins). */
  base: string | null;
}

const CAD_STATES: readonly CadState[] = ["ready", "processing", "none", "failed"];

function isProduct(value: unknown): value is PickedProduct {
  const p = value as Partial<PickedProduct> | null;
  return (
    !!p &&
    typeof p.id === "string" &&
    typeof p.pim_id === "string" &&
    typeof p.name === "string" &&
    CAD_STATES.includes(p.cad as CadState)
  );
}

/** The wizard saved under `key`, when it is readable and (for a draft) started from `base`. */
export function loadWizard(storage: Storage | undefined, key: string, base: string | null = null): WizardState | null {
  try {
    const raw = JSON.parse(storage?.getItem(key) ?? "null") as Partial<Stored> | null;
    if (!raw || typeof raw !== "object" || (raw.base ?? null) !== base) return null;
    if (!Array.isArray(raw.products) || !raw.products.every(isProduct)) return null;
    if (!Array.isArray(raw.outputTypeIds) || !raw.outputTypeIds.every((id) => typeof id === "string")) return null;
    return {
      products: raw.products,
      outputTypeIds: raw.outputTypeIds,
      title: typeof raw.title === "string" ? raw.title : "",
      notes: typeof raw.notes === "string" ? raw.notes : "",
    };
  } catch {
    return null;
  }
}

/** Keep the wizard under `key`; false when the browser refused (storage full or off). */
export function saveWizard(storage: Storage | undefined, key: string, state: WizardState, base: string | null = null): boolean {
  try {
    storage?.setItem(key, JSON.stringify({ ...state, base } satisfies Stored));
    return !!storage;
  } catch {
    return false;
  }
}

export function clearWizard(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // storage off: nothing was kept
  }
}

// -- a draft into the wizard ----------------------------------------------------------------------

interface DraftLike {
  title: string | null;
  notes: string | null;
  lines: ReadonlyArray<{
    product_id: string;
    product_pim_id: string;
    product_name: string;
    cad_status: string | null;
    output_type_id: string;
  }>;
}

/** A draft as the wizard starts editing it: its products and output types (in line order), title, notes. */
export function wizardFromDraft(order: DraftLike): WizardState {
  const products = new Map<string, PickedProduct>();
  const types = new Set<string>();
  for (const line of order.lines) {
    if (!products.has(line.product_id)) {
      products.set(line.product_id, {
        id: line.product_id,
        pim_id: line.product_pim_id,
        name: line.product_name,
        cad: cadState(line.cad_status),
      });
    }
    types.add(line.output_type_id);
  }
  return { products: [...products.values()], outputTypeIds: [...types], title: order.title ?? "", notes: order.notes ?? "" };
}
