/**
 * The optional column mapping of an Excel import: a JSON object header → field (or "ignore"),
 * checked here before it is sent (the API checks it again: 422 invalid_mapping).
 */
import { i18n } from "@/i18n";
export const MAPPING_FIELDS = ["pim_id", "name", "category_key", "lagertyp", "cad_file"] as const;
export type MappingTarget = (typeof MAPPING_FIELDS)[number] | "ignore";

export const FIELD_LABELS: Record<MappingTarget, string> = {
  pim_id: "PIM id",
  name: "Name",
  category_key: "Category",
  lagertyp: "Bearing type (Lagertyp)",
  cad_file: "CAD file name",
  ignore: "Ignore this column",
};

/** A field's name in the UI's language (unknown fields as they are). */
export function fieldLabel(field: string): string {
  return i18n.t(`products:fields.${field}`, { defaultValue: FIELD_LABELS[field as MappingTarget] ?? field });
}

const TARGETS = new Set<string>([...MAPPING_FIELDS, "ignore"]);

export type MappingResult = { ok: true; mapping: Record<string, MappingTarget> | null } | { ok: false; error: string };

/** Parse the "advanced" textarea: empty → no mapping; otherwise a JSON object of header → field. */
export function parseMapping(text: string): MappingResult {
  if (text.trim() === "") return { ok: true, mapping: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'Not valid JSON. Write it like {"Nr.": "pim_id", "Text": "name"}.' };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: 'The mapping must be a JSON object of header → field, e.g. {"Nr.": "pim_id"}.' };
  }
  const mapping: Record<string, MappingTarget> = {};
  const unknown: string[] = [];
  for (const [header, target] of Object.entries(value)) {
    if (typeof target !== "string" || !TARGETS.has(target)) {
      unknown.push(`${header} → ${JSON.stringify(target)}`);
      continue;
    }
    mapping[header] = target as MappingTarget;
  }
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `Unknown field for ${unknown.join(", ")}. Use one of ${MAPPING_FIELDS.join(", ")} or "ignore".`,
    };
  }
  return { ok: true, mapping: Object.keys(mapping).length > 0 ? mapping : null };
}

/** The choices of the header → field selects as a mapping ("" = let Automat decide). */
export function mappingFromChoices(choices: Record<string, MappingTarget | "">): Record<string, MappingTarget> | null {
  const entries = Object.entries(choices).filter((entry): entry is [string, MappingTarget] => entry[1] !== "");
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/** Which of `required` (the fields the API found no column for) the choices still lack. */
export function missingRequired(
  choices: Record<string, MappingTarget | "">,
  required: readonly string[] = ["pim_id", "name"],
): string[] {
  const chosen = new Set<string>(Object.values(choices));
  return required.filter((field) => !chosen.has(field));
}

/** The `details` of a 422 missing_columns: the header row the API found and what it lacks. */
export function missingColumnsDetails(details: unknown): { header: string[]; missing: string[] } | null {
  if (typeof details !== "object" || details === null) return null;
  const { header, missing } = details as { header?: unknown; missing?: unknown };
  if (!Array.isArray(header) || !header.every((cell) => typeof cell === "string")) return null;
  const missingList = Array.isArray(missing) ? missing.filter((m): m is string => typeof m === "string") : [];
  return { header, missing: missingList };
}
