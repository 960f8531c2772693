/** The analytics page's date range: a preset (last 7, 30 or 90 days, today included) or custom days. */
export type Preset = "7" | "30" | "90" | "custom";
export type GroupBy = "day" | "week";

export interface DateRange {
  from: string; // YYYY-MM-DD, UTC
  to: string;
}

export const PRESETS: ReadonlyArray<Exclude<Preset, "custom">> = ["7", "30", "90"];
export const MAX_DAYS = 366;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to `today` (both included). */
export function presetRange(days: number, today: Date = new Date()): DateRange {
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)));
  return { from: isoDay(start), to: isoDay(today) };
}

/** Why a custom range cannot be asked for (a key of the "analytics" catalogue), or null. */
export function rangeProblem(range: DateRange): string | null {
  if (!range.from || !range.to) return "range.incomplete";
  if (range.from >= range.to) return "range.backwards";
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  if (days > MAX_DAYS) return "range.tooLong";
  return null;
}
