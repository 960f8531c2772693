/** Paging and search state of the products list: pure helpers, tested in paging.test.ts. */
import { useEffect, useState } from "react";
import { i18n } from "@/i18n";

export const PAGE_SIZE = 50;

/** `value`, but only once it has stopped changing for `delayMs` (typing in a search box). */
export function useDebouncedValue<T>(value: T, delayMs = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** The search as the API takes it: trimmed, inner runs of spaces collapsed, undefined when empty. */
export function searchTerm(input: string): string | undefined {
  const term = input.trim().replace(/\s+/g, " ");
  return term === "" ? undefined : term.slice(0, 200);
}

export interface PageInfo {
  /** 1-based number of the first row shown (0 when there is none). */
  first: number;
  /** 1-based number of the last row shown. */
  last: number;
  total: number;
  /** False when `total` is the API's estimate (`total_exact`): a broad search counted on a sample. */
  exact: boolean;
  page: number;
  pages: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** "1–50 of 1,204", "1–50 of about 8,200", "No products". */
  label: string;
}

const number = new Intl.NumberFormat("en");

export function formatCount(value: number): string {
  return number.format(value);
}

/** "1,204" or, for an estimate, "about 8,200". */
export function formatTotal(total: number, exact = true): string {
  return exact ? formatCount(total) : `about ${formatCount(total)}`;
}

/**
 * Where a page is in the list. With an estimated total there may be more after any page: the API
 * says how many exactly once a page ends the list.
 */
export function pageInfo(total: number, limit: number, offset: number, exact = true): PageInfo {
  const first = total === 0 ? 0 : Math.min(offset + 1, total);
  const last = Math.min(offset + limit, total);
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  return {
    first,
    last,
    total,
    exact,
    page,
    pages,
    hasPrevious: offset > 0,
    hasNext: offset + limit < total || !exact,
    label: total === 0 ? i18n.t("products:list.none") : i18n.t("products:list.range", { first: formatCount(first), last: formatCount(last), total: formatTotal(total, exact) }),
  };
}

/** The offset of the next or previous page, never below 0. */
export function stepOffset(offset: number, limit: number, direction: 1 | -1): number {
  return Math.max(0, offset + direction * limit);
}

/**
 * The list's state: what is typed, the debounced term the query uses, and the offset, which goes
 * back to the first page whenever the term changes.
 */
export function useProductSearch(delayMs = 300) {
  const [input, setInput] = useState("");
  const term = searchTerm(useDebouncedValue(input, delayMs));
  const [paging, setPaging] = useState<{ term: string | undefined; offset: number }>({ term, offset: 0 });
  const offset = paging.term === term ? paging.offset : 0;
  return {
    input,
    setInput,
    term,
    offset,
    limit: PAGE_SIZE,
    /** True while the typed text has not reached the query yet. */
    pending: searchTerm(input) !== term,
    setOffset: (next: number) => setPaging({ term, offset: Math.max(0, next) }),
  };
}
