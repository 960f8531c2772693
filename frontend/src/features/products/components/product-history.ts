/**
 * A product's history (`GET /api/activity?target_type=product`) in words: what changed and who
 * did it, a person by name or Automat, when it linked the product to a CAD file by itself (the
 * file named by the import became ready, or a newer version of it did). Pure, tested in
 * product-history.test.ts.
 */
import type { FeedEntry } from "../api/product-history";
import { i18n } from "@/i18n";

export interface HistoryLine {
  id: number;
  what: string;
  who: string;
  /** Why, where the entry says (a link Automat made). */
  why: string | null;
  at: string;
}

const FIELDS: Record<string, string> = {
  pim_id: "PIM id",
  name: "name",
  category_key: "category",
  lagertyp: "bearing type",
  material_overrides: "material overrides",
  attributes: "attributes",
};

type Entry = Pick<FeedEntry, "id" | "action" | "message" | "actor_name" | "detail" | "created_at">;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function what(entry: Entry): string {
  const detail = entry.detail ?? {};
  const file = text(detail.cad_file_name) || i18n.t("products:history.aCadFile");
  switch (entry.action) {
    case "product.create":
      return i18n.t("products:history.created");
    case "product.update": {
      const fields = Array.isArray(detail.fields) ? detail.fields.map((field) => FIELDS[String(field)] ?? String(field)) : [];
      return fields.length > 0 ? i18n.t("products:history.changedFields", { fields: fields.join(", ") }) : i18n.t("products:history.changed");
    }
    case "product.cad_linked":
      return i18n.t("products:history.linked", { file });
    case "product.cad_unlinked":
      return i18n.t("products:history.unlinked");
    default:
      return entry.message || entry.action;
  }
}

const WHY: Record<string, string> = {
  cad_file_ready: "the file its import named became ready",
  newer_version: "a newer version of its file became ready",
};

/** The entries as lines for people, in the order given (the API's: newest first). */
export function productHistory(entries: readonly Entry[]): HistoryLine[] {
  return entries.map((entry) => ({
    id: entry.id,
    what: what(entry),
    who: entry.actor_name ?? "a user no longer here",
    why: WHY[text(entry.detail?.reason)] ?? null,
    at: entry.created_at,
  }));
}
