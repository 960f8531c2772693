/**
 * The media page's state in the URL (TanStack Router search params), and the API's query made of
 * it. Everything a user chose — filters, search, sort, the asset in the preview — lives in the
 * address, so a link shows the same library and Back undoes a choice. Pure; tested in
 * media-search.test.ts.
 *
 *   parseMediaSearch({ type: ["still"], q: "81113" })   // what the route's validateSearch keeps
 *   listQuery(search)                                   // GET /api/media/assets's query
 */
import type { Schemas } from "@/lib/api";
import { i18n } from "@/i18n";

export type AssetType = Schemas["OutputKind"];
export type RenderStatus = Schemas["LineStatus"];
export type MediaSort = Schemas["Sort"];

export const ASSET_TYPES: readonly AssetType[] = ["thumbnail", "still", "turntable", "glb", "blend"];
export const RENDER_STATUSES: readonly RenderStatus[] = ["pending", "queued", "running", "completed", "failed", "cancelled"];
export const SORTS: readonly MediaSort[] = ["newest", "oldest", "name"];

export const ASSET_TYPE_LABELS: Record<AssetType, string> = {
  thumbnail: "Thumbnail",
  still: "Still",
  turntable: "Turntable",
  glb: "GLB",
  blend: ".blend",
};

export const SORT_LABELS: Record<MediaSort, string> = { newest: "Newest first", oldest: "Oldest first", name: "Name" };

/** An asset type's name in the UI's language ("Turntable", "Drehansicht"); unknown kinds as they are. */
export function assetTypeLabel(type: string): string {
  return i18n.t(`media:assetType.${type}`, { defaultValue: type });
}

/** A sort's name in the UI's language. */
export function sortLabel(sort: MediaSort): string {
  return i18n.t(`media:sort.${sort}`, { defaultValue: SORT_LABELS[sort] });
}

/** The page's search params. Absent keys are the defaults (all types, newest first, no preview). */
export interface MediaSearch {
  type?: AssetType[];
  category?: string;
  lagertyp?: string;
  status?: RenderStatus;
  product?: string;
  order?: string;
  /** Created on or after this day (YYYY-MM-DD, local time). */
  from?: string;
  /** Created on or before this day (inclusive). */
  to?: string;
  q?: string;
  sort?: MediaSort;
  /** A global admin's tenant filter while looking at All tenants. */
  tenant?: string;
  /** The asset in the preview pane. */
  asset?: string;
}

/** The keys that narrow the list (not the sort, not the preview). */
export const FILTER_KEYS = ["type", "category", "lagertyp", "status", "product", "order", "from", "to", "q", "tenant"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown, max = 100): string | undefined {
  if (typeof value === "number") value = String(value); // the router reads "81113" as a number
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed.slice(0, max);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

function uuid(value: unknown): string | undefined {
  return typeof value === "string" && UUID.test(value) ? value.toLowerCase() : undefined;
}

function day(value: unknown): string | undefined {
  return typeof value === "string" && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00`)) ? value : undefined;
}

/** Asset types from the URL: an array, or one string (comma-separated too), known kinds only, in order. */
function types(value: unknown): AssetType[] | undefined {
  const raw = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  const picked = ASSET_TYPES.filter((type) => raw.includes(type));
  return picked.length > 0 ? picked : undefined;
}

/** The route's `validateSearch`: keeps what is valid, drops the rest (a bad link still opens). */
export function parseMediaSearch(raw: Record<string, unknown>): MediaSearch {
  const search: MediaSearch = {
    type: types(raw.type),
    category: text(raw.category),
    lagertyp: text(raw.lagertyp),
    status: oneOf(raw.status, RENDER_STATUSES),
    product: uuid(raw.product),
    order: uuid(raw.order),
    from: day(raw.from),
    to: day(raw.to),
    q: text(raw.q, 200),
    sort: oneOf(raw.sort, SORTS),
    tenant: uuid(raw.tenant),
    asset: uuid(raw.asset),
  };
  if (search.sort === "newest") search.sort = undefined; // the default stays out of the URL
  return compact(search);
}

/** The search without undefined keys (so equal states make equal URLs and query keys). */
export function compact(search: MediaSearch): MediaSearch {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(search)) if (value !== undefined) out[key] = value;
  return out as MediaSearch;
}

/** `search` with one filter set (undefined: removed); the preview closes, since the list changed. */
export function withFilter<K extends (typeof FILTER_KEYS)[number]>(search: MediaSearch, key: K, value: MediaSearch[K]): MediaSearch {
  return compact({ ...search, [key]: value, asset: undefined });
}

/** `search` with the asset type switched on or off. */
export function toggleType(search: MediaSearch, type: AssetType): MediaSearch {
  const current = search.type ?? [];
  const next = current.includes(type) ? current.filter((t) => t !== type) : ASSET_TYPES.filter((t) => t === type || current.includes(t));
  return withFilter(search, "type", next.length > 0 ? next : undefined);
}

/** No filter at all (the sort stays: it is a view, not a filter). */
export function clearFilters(search: MediaSearch): MediaSearch {
  return compact({ sort: search.sort });
}

export function hasFilters(search: MediaSearch): boolean {
  return FILTER_KEYS.some((key) => search[key] !== undefined);
}

/** Local midnight of a day as an ISO instant; `plusDays` 1 gives the end of an inclusive "to". */
export function dayStart(value: string, plusDays = 0): string {
  const date = new Date(`${value}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

/** The filters as the API names them: the list's, the facets' and the bulk download's. */
export interface MediaFilters {
  asset_type?: AssetType[];
  category_key?: string;
  lagertyp?: string;
  render_status?: RenderStatus;
  product_id?: string;
  order_id?: string;
  created_from?: string;
  created_to?: string;
  q?: string;
}

export function apiFilters(search: MediaSearch): MediaFilters {
  const filters: MediaFilters = {
    asset_type: search.type,
    category_key: search.category,
    lagertyp: search.lagertyp,
    render_status: search.status,
    product_id: search.product,
    order_id: search.order,
    created_from: search.from ? dayStart(search.from) : undefined,
    created_to: search.to ? dayStart(search.to, 1) : undefined, // "created before" the next day
    q: search.q,
  };
  return compact(filters as MediaSearch) as MediaFilters;
}

/**
 * The tenant to name in a request: only a global admin's tenant filter while looking at All
 * tenants (with a tenant picked, every request already acts in it: lib/api.ts).
 */
export function tenantParam(search: MediaSearch, overview: boolean): string | undefined {
  return overview ? search.tenant : undefined;
}

/** GET /api/media/assets's query (without cursor and page size). */
export function listQuery(search: MediaSearch, overview = false): MediaFilters & { sort: MediaSort; tenant_id?: string } {
  const tenant = tenantParam(search, overview);
  return { ...apiFilters(search), sort: search.sort ?? "newest", ...(tenant ? { tenant_id: tenant } : {}) };
}
