/** How the CAD pages write sizes, lengths, volumes, durations and dates. */
import { i18n } from "@/i18n";
import { formatDateTime } from "@/i18n/format";

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (binary steps, as the server's upload limit in MB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${trim(value.toFixed(digits)).replace(".", decimalPoint())} ${UNITS[unit]}`;
}

/** Up to two decimals below 100, one up to 1000, none above; no trailing zeros. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : 2;
  const [whole = "0", fraction] = trim(value.toFixed(digits)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  const text = fraction ? `${grouped}${decimalPoint()}${fraction}` : grouped;
  return text === "-0" ? "0" : text;
}

/** The decimal separator of the UI's language ("1.5" / "1,5"). */
function decimalPoint(): string {
  return i18n.language === "de" ? "," : ".";
}

function trim(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

function isVector(value: unknown): value is [number, number, number] {
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === "number" && Number.isFinite(v));
}

/** `bbox_mm.size` (or `size_mm`) → "9 × 37 × 37 mm"; "—" when missing. */
export function formatBbox(size: unknown): string {
  if (!isVector(size)) return "—";
  return `${size.map(formatNumber).join(" × ")} mm`;
}

/** The size of a `{min, max, size}` box, taking `size` or computing it from min and max. */
export function bboxSize(box: unknown): [number, number, number] | null {
  if (!box || typeof box !== "object") return null;
  const { size, min, max } = box as { size?: unknown; min?: unknown; max?: unknown };
  if (isVector(size)) return size;
  if (isVector(min) && isVector(max)) return [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
  return null;
}

/** mm³, in cm³ from 1000 mm³ on. */
export function formatVolume(mm3: number | null | undefined): string {
  if (mm3 == null || !Number.isFinite(mm3)) return "—";
  return mm3 >= 1000 ? `${formatNumber(mm3 / 1000)} cm³` : `${formatNumber(mm3)} mm³`;
}

/** ISO date-time → the reader's local date and time ("28 Nov 2025, 16:20"). */
export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return locale ? date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : formatDateTime(date);
}

export function formatCount(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? formatNumber(Math.round(value)) : "—";
}

/** How a part got its material (the backend's resolution reasons). */
export const REASON_LABELS: Record<string, string> = {
  exact: "Exact name",
  alias: "Alias",
  pattern: "Pattern",
  cad_colour: "CAD colour (no match)",
  fallback: "Fallback (no match)",
};

/** `CAD_COLOUR_FF0000` (a part in the plain colour its STEP file gives it) → "#FF0000"; else null. */
export function cadColourHex(material: string | null | undefined): string | null {
  const match = /^CAD_COLOUR_([0-9A-F]{6})$/.exec(material ?? "");
  return match ? `#${match[1]}` : null;
}

export function reasonLabel(reason: string | null | undefined): string {
  if (!reason) return i18n.t("cad:materials.reasons.none");
  return i18n.t(`cad:materials.reasons.${reason}`, { defaultValue: REASON_LABELS[reason] ?? reason });
}
