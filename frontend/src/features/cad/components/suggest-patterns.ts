/**
 * Alias patterns to offer for a part name: the exact name, and globs made from its first and last
 * word (`Ball*`, `*_Ring`), so one alias can cover the part's siblings in this and other files.
 * Instance suffixes (`Ball_13`, `Ball.001`, `Ball (2)`) are dropped first, as the server's
 * resolver does (materials/resolve.py `name_variants`).
 */
import { i18n } from "@/i18n";
export type PatternKind = "exact" | "glob";

export interface PatternSuggestion {
  kind: PatternKind;
  pattern: string;
  /** What the pattern matches, in words. */
  label: string;
}

const INSTANCE_SUFFIX = /(?:[._:-]\d+|\s*\(\d+\)|\s*<\d+>)$/;
const SEPARATOR = /[_\-. ]+/;

/** The part name without its instance suffixes (`Ball_13` → `Ball`). */
export function baseName(name: string): string {
  let current = name.trim();
  for (;;) {
    const stripped = current.replace(INSTANCE_SUFFIX, "").trim();
    if (!stripped || stripped === current) return current;
    current = stripped;
  }
}

export function suggestPatterns(name: string): PatternSuggestion[] {
  const base = baseName(name);
  const out: PatternSuggestion[] = [{ kind: "exact", pattern: base, label: i18n.t("cad:assign.exact", { name: base }) }];
  const words = base.split(SEPARATOR).filter(Boolean);
  const first = words[0];
  const last = words[words.length - 1];
  if (words.length === 1 && first) {
    out.push({ kind: "glob", pattern: `${first}*`, label: i18n.t("cad:assign.startsWith", { start: first }) });
  } else if (first && last) {
    out.push({ kind: "glob", pattern: `${first}*`, label: i18n.t("cad:assign.startsWith", { start: first }) });
    // The separator before the last word belongs to the pattern: `*_Ring`, not `*Ring` (`Spring`).
    const tail = base.slice(base.lastIndexOf(last) - 1);
    out.push({ kind: "glob", pattern: `*${tail}`, label: i18n.t("cad:assign.endsWith", { end: tail }) });
  }
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = `${s.kind}:${s.pattern.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
