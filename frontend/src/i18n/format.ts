/**
 * Dates, numbers and sizes in the UI's language (`Intl`, which the browser ships). Components use
 * `useFormat()` so that a change of language re-renders them; plain functions take the language.
 */
import { useTranslation } from "react-i18next";
import { currentLanguage, type Language } from "./index";

const LOCALES: Record<Language, string> = { en: "en-GB", de: "de-DE" };

export function formatNumber(value: number, lng: Language = currentLanguage(), options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(LOCALES[lng], options).format(value);
}

export function formatDateTime(
  value: string | number | Date,
  lng: Language = currentLanguage(),
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : new Intl.DateTimeFormat(LOCALES[lng], options).format(date);
}

export function formatDate(value: string | number | Date, lng: Language = currentLanguage()): string {
  return formatDateTime(value, lng, { dateStyle: "medium" });
}

/** "3 minutes ago" / "vor 3 Minuten" for a moment in the past (or future). */
export function formatRelative(value: string | number | Date, lng: Language = currentLanguage(), now = Date.now()): string {
  const at = value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (Number.isNaN(at)) return "—";
  const seconds = Math.round((at - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(LOCALES[lng], { numeric: "auto" });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 4.35], ["month", 12], ["year", Infinity],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return rtf.format(Math.round(amount), unit);
    amount /= size;
  }
  return rtf.format(Math.round(amount), "year");
}

/** Bytes as "1.2 MB" / "1,2 MB" (decimal units, as file managers show). */
export function formatBytes(bytes: number, lng: Language = currentLanguage()): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(LOCALES[lng], {
    style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** The formatters bound to the current language; re-renders the caller when it changes. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = (i18n.language as Language) ?? currentLanguage();
  return {
    language: lng,
    number: (value: number, options?: Intl.NumberFormatOptions) => formatNumber(value, lng, options),
    dateTime: (value: string | number | Date, options?: Intl.DateTimeFormatOptions) => formatDateTime(value, lng, options),
    date: (value: string | number | Date) => formatDate(value, lng),
    relative: (value: string | number | Date) => formatRelative(value, lng),
    bytes: (value: number) => formatBytes(value, lng),
  };
}
