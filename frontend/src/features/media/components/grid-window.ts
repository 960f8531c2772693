/**
 * The grid's geometry: how many columns fit, how many rows a window of assets makes, where the
 * keyboard moves, and when to load the next page. Pure; tested in grid-window.test.ts.
 *
 * Why windows: a library may hold a million assets. The grid pages into the list with the API's
 * keyset cursor, and what it has loaded is virtualized (only visible rows are in the DOM), but
 * the scroll height still grows with what is loaded: a million tiles of 220 px in five columns
 * would be 44 M px, past Chrome's ~16.7 M px. So the grid holds one window of at most
 * WINDOW_SIZE assets (WINDOW_SIZE / PAGE_SIZE pages); "Next" starts a new window at the last
 * page's cursor, "Previous" goes back to the start of the one before. The scroll height is then
 * bounded by `maxScrollHeight`, whatever the library's size.
 */

/** Assets per request (the API allows up to 200). */
export const PAGE_SIZE = 100;
/** Assets per window: a bounded scroll height, and few enough to keep in memory. */
export const WINDOW_SIZE = 5_000;
export const PAGES_PER_WINDOW = WINDOW_SIZE / PAGE_SIZE;
/** Chrome's largest element height (about 16.7 M px); the grid must stay well under it. */
export const BROWSER_MAX_HEIGHT = 16_777_216;

export const TILE_MIN_WIDTH = 168;
export const TILE_GAP = 12;
/** A tile's height beyond its square picture: the caption lines. */
export const CAPTION_HEIGHT = 52;

/** How many tiles of at least `minWidth` fit in `width` px with `gap` between them (at least 1). */
export function columnsFor(width: number, minWidth = TILE_MIN_WIDTH, gap = TILE_GAP): number {
  if (!Number.isFinite(width) || width <= 0) return 1;
  return Math.max(1, Math.floor((width + gap) / (minWidth + gap)));
}

/** A row's height for `columns` tiles across `width` px: a square picture, the caption, the gap. */
export function rowHeightFor(width: number, columns: number, gap = TILE_GAP): number {
  const tile = Math.max(1, (Math.max(width, 1) - gap * (columns - 1)) / columns);
  return Math.round(tile + CAPTION_HEIGHT + gap);
}

export function rowCount(items: number, columns: number): number {
  return Math.ceil(Math.max(0, items) / Math.max(1, columns));
}

/** The tallest the grid can be: a full window in rows (the bound the windows exist for). */
export function maxScrollHeight(columns: number, rowHeight: number, windowSize = WINDOW_SIZE): number {
  return rowCount(windowSize, columns) * rowHeight;
}

/** Whether another page belongs in this window (it has `pages` and the API has more). */
export function windowHasRoom(pages: number, hasNext: boolean, pagesPerWindow = PAGES_PER_WINDOW): boolean {
  return hasNext && pages < pagesPerWindow;
}

/**
 * Load the next page when the last visible row is within `ahead` rows of the loaded end (and
 * nothing is loading).
 */
export function shouldLoadMore(lastVisibleRow: number, loadedRows: number, canLoad: boolean, loading: boolean, ahead = 4): boolean {
  return canLoad && !loading && lastVisibleRow >= loadedRows - 1 - ahead;
}

/** The 1-based numbers of the first and last asset of window `index` holding `loaded` assets. */
export function windowRange(index: number, loaded: number, windowSize = WINDOW_SIZE): { first: number; last: number } {
  const first = index * windowSize + (loaded > 0 ? 1 : 0);
  return { first, last: index * windowSize + loaded };
}

import { i18n } from "@/i18n";
import { formatNumber } from "@/i18n/format";

/** "12", "1,204", "10,000+" (a capped count), "about 8,200" (a sample's estimate). */
export function formatTotal(total: number, isEstimate: boolean, capped = 10_000): string {
  if (!isEstimate) return formatNumber(total);
  return total === capped ? `${formatNumber(total)}+` : i18n.t("media:count.about", { total: formatNumber(total) });
}

export type GridKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End" | "PageUp" | "PageDown";

export const GRID_KEYS: ReadonlySet<string> = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

/**
 * Where the focus goes from `index` on `key` in a grid of `count` tiles, `columns` wide, showing
 * `pageRows` rows at a time. Up/Down keep the column (Down on the last row goes to the last tile,
 * so the end is reachable); Home/End go to the first/last tile; -1 (nothing focused yet) starts
 * at the first.
 */
export function moveFocus(index: number, key: GridKey, columns: number, count: number, pageRows = 3): number {
  if (count <= 0) return -1;
  if (index < 0) return 0;
  const last = count - 1;
  const clamp = (value: number) => Math.min(last, Math.max(0, value));
  switch (key) {
    case "ArrowLeft":
      return clamp(index - 1);
    case "ArrowRight":
      return clamp(index + 1);
    case "ArrowUp":
      return index - columns >= 0 ? index - columns : index;
    case "ArrowDown":
      return clamp(index + columns);
    case "PageUp":
      return clamp(index - columns * Math.max(1, pageRows));
    case "PageDown":
      return clamp(index + columns * Math.max(1, pageRows));
    case "Home":
      return 0;
    case "End":
      return last;
  }
}
