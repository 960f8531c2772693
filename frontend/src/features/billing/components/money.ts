import { formatNumber } from "@/i18n/format";
import type { Language } from "@/i18n";

/** An amount of the API (a decimal string or number) in its currency, in the UI's language. */
export function formatMoney(value: number | string, currency: string, lng: Language): string {
  return formatNumber(Number(value), lng, { style: "currency", currency });
}
