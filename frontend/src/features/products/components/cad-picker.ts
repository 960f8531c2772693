/**
 * What the CAD picker asks the server and what it offers of the answer: pure, tested in
 * cad-picker.test.ts. The server searches the whole CAD library by name (`GET /api/cad-files?q=`:
 * every word in the name, ignoring case, spaces and punctuation; names starting with it first).
 */
import type { Schemas } from "@/lib/api";
import type { CadChoicesQuery } from "../api/product";

export type CadChoice = Pick<Schemas["CadFileSummary"], "id" | "original_name" | "status">;

/** How many files the picker lists; more matching files ask for more of the name. */
export const PICKER_SHOWN = 50;

/**
 * The list request for a search among the files of `tenantId` (the product's tenant: a product
 * links only to a file of its own tenant, and a global admin's "All tenants" would list every
 * tenant's); ready files only unless `allStates`; one more than shown to know there are more, and
 * one more again for the linked file, which is not offered.
 */
export function cadChoicesQuery(search: string, options: { allStates: boolean; tenantId: string }): CadChoicesQuery {
  const q = search.trim().replace(/\s+/g, " ").slice(0, 200);
  return {
    ...(q ? { q } : {}),
    ...(options.allStates ? {} : { status: "ready" as const }),
    page_size: PICKER_SHOWN + 2,
    tenant_id: options.tenantId,
  };
}

/** The files to offer from the server's answer (its order kept), without the linked one. */
export function cadChoices<T extends CadChoice>(files: readonly T[], linkedId: string | null | undefined): { shown: T[]; more: boolean } {
  const offered = files.filter((file) => file.id !== linkedId);
  return { shown: offered.slice(0, PICKER_SHOWN), more: offered.length > PICKER_SHOWN };
}
