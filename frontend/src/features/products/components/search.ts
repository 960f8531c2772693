/**
 * Search state of the products list and its count label: pure helpers, tested in search.test.ts.
 * The list pages with `lib/paging` (`cursorPages`, `<LoadMore>`) like every list.
 */
import { useEffect, useState } from "react";
import { formatNumber } from "@/i18n/format";
import { i18n } from "@/i18n";

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

/** A count in the UI's language ("1,204" / "1.204"); a component showing it renders again on a
 * switch through its useTranslation. */
export function formatCount(value: number): string {
  return formatNumber(value);
}

/** "1,204" or, for an estimate, "about 8,200". */
export function formatTotal(total: number, exact = true): string {
  return exact ? formatCount(total) : i18n.t("products:list.about", { n: formatCount(total) });
}

/** The rows loaded of how many: "1–50 of 1,204", "1–50 of about 8,200", "No products". */
export function countLabel(shown: number, total: number, exact = true): string {
  if (total === 0 && shown === 0) return i18n.t("products:list.none");
  return i18n.t("products:list.range", { first: shown === 0 ? 0 : 1, last: formatCount(shown), total: formatTotal(Math.max(total, shown), exact) });
}

/** The list's search: what is typed and the debounced term the query uses (a new term: page one). */
export function useProductSearch(delayMs = 300) {
  const [input, setInput] = useState("");
  const term = searchTerm(useDebouncedValue(input, delayMs));
  return {
    input,
    setInput,
    term,
    /** True while the typed text has not reached the query yet. */
    pending: searchTerm(input) !== term,
  };
}
