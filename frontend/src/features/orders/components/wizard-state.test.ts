import {
  EMPTY_WIZARD,
  addPicks,
  addSummary,
  cadState,
  clearWizard,
  hasChanges,
  linesOf,
  loadWizard,
  parseStep,
  reachableStep,
  saveWizard,
  selectAllLimit,
  togglePick,
  wizardFromDraft,
  wizardKey,
} from "./wizard-state";
import type { CadState, PickedProduct, WizardState } from "./wizard-state";
import { countFates, formatMoney, planLines, totalCents } from "./wizard";

const product = (id: string, cad: CadState = "ready"): PickedProduct => ({ id, pim_id: `P-${id}`, name: `Bearing ${id}`, cad });
const type = (id: string, price: string) => ({ id, name: `Type ${id}`, kind: "still" as const, price, render_settings: {} });

/** sessionStorage as the browser has it: strings by key, and a quota. */
class MemoryStorage implements Storage {
  items = new Map<string, string>();
  constructor(private quota = Number.POSITIVE_INFINITY) {}
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (value.length > this.quota) throw new DOMException("full", "QuotaExceededError");
    this.items.set(key, value);
  }
}

describe("the wizard's step in the URL", () => {
  it("reads 1, 2 or 3 and nothing else", () => {
    expect(parseStep("2")).toBe(2);
    expect(parseStep(3)).toBe(3);
    expect(parseStep("4")).toBeUndefined();
    expect(parseStep("x")).toBeUndefined();
    expect(parseStep(undefined)).toBeUndefined();
  });

  it("shows a step only once what it needs is picked", () => {
    const picked: WizardState = { ...EMPTY_WIZARD, products: [product("a")] };
    expect(reachableStep(3, EMPTY_WIZARD)).toBe(1);
    expect(reachableStep(3, picked)).toBe(2);
    expect(reachableStep(3, { ...picked, outputTypeIds: ["t"] })).toBe(3);
    expect(reachableStep(undefined, { ...picked, outputTypeIds: ["t"] })).toBe(1);
  });
});

describe("the wizard's work in sessionStorage", () => {
  const state: WizardState = { products: [product("a"), product("b", "processing")], outputTypeIds: ["t"], title: "Autumn", notes: "2Z" };

  it("comes back after a reload, per wizard", () => {
    const storage = new MemoryStorage();
    expect(saveWizard(storage, wizardKey(), state)).toBe(true);
    expect(loadWizard(storage, wizardKey())).toEqual(state);
    expect(loadWizard(storage, wizardKey("order-1"))).toBeNull();
    clearWizard(storage, wizardKey());
    expect(loadWizard(storage, wizardKey())).toBeNull();
  });

  it("drops edits of a draft that changed since they started", () => {
    const storage = new MemoryStorage();
    saveWizard(storage, wizardKey("o"), state, "2026-12-02T09:00:00Z");
    expect(loadWizard(storage, wizardKey("o"), "2026-12-02T09:00:00Z")).toEqual(state);
    expect(loadWizard(storage, wizardKey("o"), "2026-12-02T09:05:00Z")).toBeNull();
  });

  it("ignores what it cannot read and says when the browser refuses to keep it", () => {
    const storage = new MemoryStorage(10);
    storage.items = new Map([[wizardKey(), "{not json"]]);
    expect(loadWizard(storage, wizardKey())).toBeNull();
    storage.items = new Map([[wizardKey(), JSON.stringify({ products: [{ id: 1 }], outputTypeIds: [] })]]);
    expect(loadWizard(storage, wizardKey())).toBeNull();
    expect(saveWizard(storage, wizardKey(), state)).toBe(false);
    expect(saveWizard(undefined, wizardKey(), state)).toBe(false);
  });

  it("has work to lose only when something differs from where it started", () => {
    expect(hasChanges(EMPTY_WIZARD)).toBe(false);
    expect(hasChanges({ ...EMPTY_WIZARD, title: "  " })).toBe(false);
    expect(hasChanges({ ...EMPTY_WIZARD, title: "Autumn" })).toBe(true);
    expect(hasChanges(state)).toBe(true);
    const reordered = { ...state, products: [...state.products].reverse() };
    expect(hasChanges(reordered, state)).toBe(false);
    expect(hasChanges({ ...state, products: state.products.slice(1) }, state)).toBe(true);
  });
});

describe("picking products", () => {
  it("never picks one that cannot render, but unpicks it", () => {
    expect(togglePick([], product("x", "none"))).toEqual([]);
    expect(togglePick([], product("x", "failed"))).toEqual([]);
    expect(togglePick([], product("x", "processing"))).toEqual([product("x", "processing")]);
    expect(togglePick([product("x", "none")], product("x", "none"))).toEqual([]);
  });

  it("selects all matches that can render and counts the rest", () => {
    const matches = [product("a"), product("b", "none"), product("c", "failed"), product("d"), product("e", "processing")];
    const result = addPicks([product("a")], matches);
    expect(result.products.map((p) => p.id)).toEqual(["a", "d", "e"]);
    expect(result).toMatchObject({ added: 2, leftOut: 2 });
    expect(addSummary(result, 5)).toBe("Picked 2 of 5 matching; 2 without a usable CAD file were left out.");
    expect(addSummary({ added: 120, leftOut: 0 }, 120)).toBe("Picked 120 of 120 matching.");
    expect(addSummary({ added: 1, leftOut: 1 }, 2)).toBe("Picked 1 of 2 matching; 1 without a usable CAD file was left out.");
  });

  it("refuses select all above the order limit, with the count", () => {
    expect(selectAllLimit(500, 500)).toBeNull();
    expect(selectAllLimit(2008, 500)).toBe("2,008 products match; an order holds at most 500 lines. Narrow the search.");
    expect(selectAllLimit(2008, undefined)).toBeNull();
    // A broad search's total is the API's estimate.
    expect(selectAllLimit(8200, 500, 0, false)).toBe("about 8,200 products match; an order holds at most 500 lines. Narrow the search.");
  });

  it("counts lines, not products: each product is a line in every output type picked", () => {
    expect(selectAllLimit(120, 200, 1)).toBeNull();
    expect(selectAllLimit(100, 200, 2)).toBeNull();
    expect(selectAllLimit(120, 200, 2)).toBe(
      "120 products × 2 output types = 240 lines; an order holds at most 200 lines. Narrow the search.",
    );
    expect(linesOf(117, 2)).toBe("117 products × 2 output types = 234 lines");
    expect(linesOf(1, 1)).toBe("1 product × 1 output type = 1 line");
  });

  it("prices all that select all picked in every output type", () => {
    const matches = Array.from({ length: 120 }, (_, i) => product(`m${i}`, i < 3 ? "none" : "ready"));
    const { products } = addPicks([], matches);
    const lines = planLines(products, [type("thumb", "1.25"), type("small", "0.50")]);
    expect(lines).toHaveLength(117 * 2);
    expect(countFates(lines)).toEqual({ render: 234, no_cad: 0, kept: 0 });
    expect(formatMoney(totalCents(lines), "EUR")).toBe("EUR 204.75");
  });

  it("reads a CAD file's status", () => {
    expect([null, "ready", "failed", "uploaded", "processing"].map(cadState)).toEqual(["none", "ready", "failed", "processing", "processing"]);
  });
});

describe("a draft in the wizard", () => {
  const line = (p: string, t: string, cad: string | null = "ready") => ({
    product_id: p,
    product_pim_id: `P-${p}`,
    product_name: `Bearing ${p}`,
    cad_status: cad,
    output_type_id: t,
  });

  it("starts from the draft's products, output types, title and notes", () => {
    const state = wizardFromDraft({
      title: "Autumn",
      notes: null,
      lines: [line("a", "t"), line("a", "s"), line("b", "t", null)],
    });
    expect(state).toEqual({ products: [product("a"), product("b", "none")], outputTypeIds: ["t", "s"], title: "Autumn", notes: "" });
  });

  it("charges only the lines that render: not the ones without CAD, not the ones kept from before", () => {
    const lines = planLines([product("a"), product("b", "none"), product("c")], [type("t", "2.00")], new Set(["c:t"]));
    expect(lines.map((l) => l.fate)).toEqual(["render", "no_cad", "kept"]);
    expect(countFates(lines)).toEqual({ render: 1, no_cad: 1, kept: 1 });
    expect(totalCents(lines)).toBe(200);
    expect(formatMoney(totalCents(lines), "CHF")).toBe("CHF 2.00");
  });
});

describe("a global admin's new order", () => {
  it("is kept per picked tenant, so one tenant's picks are never offered in another", () => {
    expect(wizardKey(undefined, "acme-id")).not.toBe(wizardKey(undefined, "demo-id"));
    expect(wizardKey(undefined, null)).toBe(wizardKey()); // everyone else: one new order per tab
    expect(wizardKey("order-1", "acme-id")).toBe(wizardKey("order-1", null)); // a draft is its tenant's
  });
});
