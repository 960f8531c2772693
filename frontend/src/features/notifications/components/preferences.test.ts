import { applyChange, roleDefaultsLabel, rowsOf, sourceNote, timeZones } from "./preferences";
import type { Preference, Preferences } from "./preferences";

const pref = (event_type: string, channel: Preference["channel"], over: Partial<Preference> = {}): Preference => ({
  event_type,
  label: event_type,
  help: `help ${event_type}`,
  channel,
  frequency: "immediate",
  source: "role",
  default: "immediate",
  ...over,
});

const prefs: Preferences = {
  locale: "en",
  timezone: "UTC",
  items: [pref("order_rejected", "in_app"), pref("order_rejected", "email"), pref("alerts", "email", { frequency: "daily", default: "daily" })],
};

describe("notification settings", () => {
  it("makes one row per event type with a cell per channel it goes by", () => {
    const rows = rowsOf(prefs.items);
    expect(rows.map((r) => r.event_type)).toEqual(["order_rejected", "alerts"]);
    expect(Object.keys(rows[0]!.cells)).toEqual(["in_app", "email"]);
    expect(rows[1]!.cells.in_app).toBeUndefined();
  });

  it("shows a change at once as the user's own, leaving the rest", () => {
    const after = applyChange(prefs, { event_type: "order_rejected", channel: "email", frequency: "hourly" });
    expect(after.items[1]).toMatchObject({ frequency: "hourly", source: "user", default: "immediate" });
    expect(after.items[0]).toBe(prefs.items[0]);
    expect(prefs.items[1]!.frequency).toBe("immediate"); // the saved state stays for a rollback
  });

  it("says whose default applies", () => {
    expect(sourceNote(pref("x", "email", { source: "tenant", frequency: "hourly", default: "hourly" }))).toBe("Tenant default: hourly digest");
    expect(sourceNote(pref("x", "email"))).toBe("Role default");
    expect(sourceNote(pref("x", "email", { source: "user", frequency: "never", default: "daily" }))).toBe("Your choice · default: daily digest");
  });

  it("names each role's default beside a tenant default", () => {
    expect(roleDefaultsLabel({ client: "immediate", project_manager: "hourly" })).toBe(
      "Role defaults: clients immediately, project managers hourly digest",
    );
  });

  it("offers the browser's zones with UTC first and the saved one kept", () => {
    const zones = timeZones("Mars/Olympus", () => ["Europe/Berlin", "America/New_York"]);
    expect(zones[0]).toBe("UTC");
    expect(zones).toEqual(["UTC", "America/New_York", "Europe/Berlin", "Mars/Olympus"]);
  });
});
