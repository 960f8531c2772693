/**
 * The grid's multi-select, as data: a set of asset ids with an anchor for shift ranges, or "every
 * asset matching the filters" (which may be more than are loaded: the bulk download then sends
 * the filters, not ids). Pure; tested in selection.test.ts.
 *
 *   let s = EMPTY_SELECTION;
 *   s = clickSelect(s, order, id, { shift: false, toggle: false });   // only this one
 *   s = clickSelect(s, order, other, { shift: true, toggle: false }); // the range between them
 */

export interface Selection {
  ids: ReadonlySet<string>;
  /** Where a shift range starts: the last asset clicked or toggled without shift. */
  anchor: string | null;
  /** Every asset matching the filters, loaded or not. */
  all: boolean;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, all: false };

export interface Modifiers {
  /** Shift: the range from the anchor to here. */
  shift: boolean;
  /** Ctrl / Cmd (or the tile's checkbox): this one on or off, the others stay. */
  toggle: boolean;
}

/** The ids from `a` to `b` inclusive, in grid order (either direction); [] if one is not loaded. */
export function rangeBetween(order: readonly string[], a: string, b: string): string[] {
  const from = order.indexOf(a);
  const to = order.indexOf(b);
  if (from < 0 || to < 0) return [];
  return order.slice(Math.min(from, to), Math.max(from, to) + 1);
}

/**
 * A click on `id` (or the keyboard's equivalent). `order` is the loaded assets in grid order.
 * Leaving "all matching" starts a selection of ids afresh: a single asset cannot be taken out of
 * a set that is not loaded.
 */
export function clickSelect(selection: Selection, order: readonly string[], id: string, modifiers: Modifiers): Selection {
  const base = selection.all ? EMPTY_SELECTION : selection;
  if (modifiers.shift && base.anchor && order.includes(base.anchor)) {
    const range = rangeBetween(order, base.anchor, id);
    // Shift adds the range to what is selected (as in file managers with Ctrl+Shift; plain Shift
    // replaces it).
    const ids = new Set(modifiers.toggle ? base.ids : []);
    for (const item of range) ids.add(item);
    return { ids, anchor: base.anchor, all: false };
  }
  if (modifiers.toggle) {
    const ids = new Set(base.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, all: false };
  }
  return { ids: new Set([id]), anchor: id, all: false };
}

/** Every asset matching the filters (what "Download all" sends). */
export function selectAllMatching(): Selection {
  return { ids: new Set(), anchor: null, all: true };
}

export function isSelected(selection: Selection, id: string): boolean {
  return selection.all || selection.ids.has(id);
}

/** How many are selected: `total` (the list's, maybe capped) for all matching. */
export function selectedCount(selection: Selection, total: number): number {
  return selection.all ? total : selection.ids.size;
}

/** The selected ids in grid order, then those selected in other windows (kept by the set). */
export function selectedIds(selection: Selection, order: readonly string[]): string[] {
  const inOrder = order.filter((id) => selection.ids.has(id));
  const seen = new Set(inOrder);
  return [...inOrder, ...[...selection.ids].filter((id) => !seen.has(id))];
}
