/** Which CAD files the picker offers: pure, tested in cad-picker.test.ts. */
import type { Schemas } from "@/lib/api";

export type CadChoice = Pick<Schemas["CadFileSummary"], "id" | "original_name" | "status">;

/** Lower case with everything but letters and digits removed: "05-2RSR.STEP" ~ "052rsrstep". */
function fold(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * The files matching `query` (every word of it in the name, ignoring case, dashes, dots and
 * spaces), ready ones only unless `allStates`; names starting with the query first, then by name.
 * The linked file is never offered again.
 */
export function cadChoices<T extends CadChoice>(files: T[], query: string, options: { allStates: boolean; linkedId?: string | null }): T[] {
  const words = query.split(/\s+/).map(fold).filter(Boolean);
  const whole = fold(query);
  const matching = files.filter((file) => {
    if (file.id === options.linkedId) return false;
    if (!options.allStates && file.status !== "ready") return false;
    const name = fold(file.original_name);
    return words.every((word) => name.includes(word));
  });
  const starts = (file: T) => (whole && fold(file.original_name).startsWith(whole) ? 0 : 1);
  return matching.sort((a, b) => starts(a) - starts(b) || a.original_name.localeCompare(b.original_name));
}
