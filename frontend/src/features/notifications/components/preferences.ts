/**
 * The notification settings' logic, without React: the table's rows (event type × channel), the
 * optimistic change, what the default beside a choice says, and the time zones to pick from.
 */
import type { Schemas } from "@/lib/api";
import { i18n } from "@/i18n";

export type Preferences = Schemas["PreferencesRead"];
export type Preference = Schemas["PreferenceRead"];
export type TenantDefault = Schemas["TenantDefaultRead"];
export type Channel = Preference["channel"];
export type Frequency = Preference["frequency"];

export const CHANNELS: Channel[] = ["in_app", "email"];
export const CHANNEL_LABELS: Record<Channel, string> = { in_app: "In app", email: "E-mail" };

export const FREQUENCIES: Frequency[] = ["immediate", "hourly", "daily", "never"];
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  immediate: "Immediately",
  hourly: "Hourly digest",
  daily: "Daily digest",
  never: "Never",
};

/** A channel's name in the UI's language. */
export function channelLabel(channel: Channel): string {
  return i18n.t(`notifications:channels.${channel}`, { defaultValue: CHANNEL_LABELS[channel] });
}

/** A frequency's name in the UI's language. */
export function frequencyLabel(frequency: Frequency): string {
  return i18n.t(`notifications:frequency.${frequency}`, { defaultValue: FREQUENCY_LABELS[frequency] });
}

/** A frequency inside a sentence: lower case in English ("daily digest"), as it is in German. */
const frequencyInText = (frequency: Frequency) => (i18n.language === "de" ? frequencyLabel(frequency) : frequencyLabel(frequency).toLowerCase());

export const LOCALES: Array<{ value: Preferences["locale"]; label: string }> = [
  { value: "en", label: "English" },
  { value: "de", label: "Deutsch" },
];

export const ROLE_NAMES: Record<string, string> = {
  client: "clients",
  project_manager: "project managers",
  tenant_admin: "tenant admins",
};

export interface Row<T extends { event_type: string; label: string; help: string; channel: Channel }> {
  event_type: string;
  label: string;
  help: string;
  /** Per channel the item, or undefined where the event type does not go by that channel. */
  cells: Partial<Record<Channel, T>>;
}

/** One row per event type (in the API's order), a cell per channel. */
export function rowsOf<T extends { event_type: string; label: string; help: string; channel: Channel }>(items: readonly T[]): Array<Row<T>> {
  const rows = new Map<string, Row<T>>();
  for (const item of items) {
    const row = rows.get(item.event_type) ?? { event_type: item.event_type, label: item.label, help: item.help, cells: {} };
    row.cells[item.channel] = item;
    rows.set(item.event_type, row);
  }
  return [...rows.values()];
}

export interface Change {
  event_type: string;
  channel: Channel;
  frequency: Frequency;
}

/** The preferences as they will be once `change` is saved (the optimistic update): the user's own choice. */
export function applyChange(preferences: Preferences, change: Change): Preferences {
  return {
    ...preferences,
    items: preferences.items.map((item) =>
      item.event_type === change.event_type && item.channel === change.channel
        ? { ...item, frequency: change.frequency, source: "user" }
        : item,
    ),
  };
}

/** What the note beside a choice says: whose default applies, or that it is the user's own. */
export function sourceNote(item: Pick<Preference, "source" | "default" | "frequency">): string {
  const value = frequencyInText(item.default);
  if (item.source === "tenant") return i18n.t("notifications:source.tenant", { value });
  if (item.source === "role") return i18n.t("notifications:source.role");
  return item.frequency === item.default ? i18n.t("notifications:source.same") : i18n.t("notifications:source.own", { value });
}

/** Beside a tenant default: what each role gets without one, e.g. "Role defaults: clients immediately, project managers hourly digest". */
export function roleDefaultsLabel(roleDefaults: Record<string, Frequency>): string {
  const parts = Object.entries(roleDefaults).map(
    ([role, frequency]) => `${i18n.t(`notifications:roles.${role}`, { defaultValue: ROLE_NAMES[role] ?? role })} ${frequencyInText(frequency)}`,
  );
  return parts.length ? i18n.t("notifications:source.roleDefaults", { list: parts.join(", ") }) : i18n.t("notifications:source.roleDefaultsApply");
}

/** Every IANA zone the browser knows (sorted), with UTC and the current one always among them. */
export function timeZones(current: string, supported: () => string[] = browserZones): string[] {
  const zones = new Set(supported());
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

function browserZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  try {
    return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  } catch {
    return [];
  }
}

/** The browser's own zone (to suggest), or UTC. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
