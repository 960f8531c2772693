import {
  actionLabel,
  actionOptions,
  appPath,
  currentTab,
  digestItems,
  digestMore,
  matches,
  NO_FILTERS,
  olderCanMatch,
  parseTab,
  subjectPath,
  tabsFor,
} from "./center";

const at = (day: string, hour = 12) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00`).toISOString();

describe("notification center tabs", () => {
  it("offers activity to project managers and alerts to tenant admins (the server's matrix)", () => {
    expect(tabsFor(["view_own_orders"])).toEqual(["notifications"]);
    expect(tabsFor(["view_activity"])).toEqual(["notifications", "activity"]);
    expect(tabsFor(["view_activity", "view_alerts"])).toEqual(["notifications", "activity", "alerts"]);
  });

  it("opens the tab of the URL only when the user has it", () => {
    expect(parseTab("alerts")).toBe("alerts");
    expect(parseTab("bogus")).toBeUndefined();
    expect(currentTab("alerts", ["notifications", "activity"])).toBe("notifications");
    expect(currentTab("activity", ["notifications", "activity"])).toBe("activity");
    expect(currentTab(undefined, ["notifications"])).toBe("notifications");
  });
});

describe("links to the subject", () => {
  it("opens orders, imports and CAD files like the e-mails do", () => {
    expect(subjectPath({ target_type: "order", target_id: "o-1", detail: {} })).toBe("/orders/o-1");
    expect(subjectPath({ target_type: "product_import", target_id: "i-1", detail: {} })).toBe("/products/imports/i-1");
    expect(subjectPath({ target_type: "cad_file", target_id: "c-1", detail: {} })).toBe("/cad/c-1");
    expect(subjectPath({ target_type: "media_archive", target_id: "a", detail: { url: "/api/media/archives/a" } })).toBe(
      "/api/media/archives/a",
    );
    expect(subjectPath({ target_type: null, target_id: null, detail: {} })).toBeNull();
  });

  it("turns a digest's absolute link into an in-app path and refuses other schemes", () => {
    expect(appPath("https://automat.example.com/orders/o-9")).toBe("/orders/o-9");
    expect(appPath("/cad/c-2")).toBe("/cad/c-2");
    expect(appPath("http://other:8000/notifications")).toBeNull();
    expect(appPath("javascript:alert(1)")).toBeNull();
    expect(appPath("//evil.example/orders")).toBeNull();
    expect(appPath("not a url")).toBeNull();
  });
});

describe("digest notifications", () => {
  const digest = {
    action: "notification.digest",
    detail: {
      counts: { "Order finished": 12, "Order rejected": 2 },
      items: [
        { message: "Order #1 rendering complete", link: "http://x/orders/a" },
        { message: "Order #2 rejected", link: "http://x/orders/b" },
      ],
    },
  };

  it("lists the collected entries with their links, and how many more were counted", () => {
    expect(digestItems(digest)).toEqual([
      { message: "Order #1 rendering complete", path: "/orders/a" },
      { message: "Order #2 rejected", path: "/orders/b" },
    ]);
    expect(digestMore(digest, 2)).toBe(12);
  });

  it("is nothing special for other notifications", () => {
    expect(digestItems({ action: "order.rejected", detail: {} })).toBeNull();
    expect(digestItems({ action: "notification.digest", detail: {} })).toEqual([]);
  });
});

describe("filters on the loaded pages", () => {
  const item = { action: "order.rejected", created_at: at("2025-03-10"), read: false };

  it("filters by type, unread and an inclusive local date range", () => {
    expect(matches(item, NO_FILTERS)).toBe(true);
    expect(matches(item, { ...NO_FILTERS, action: "order.completed" })).toBe(false);
    expect(matches({ ...item, read: true }, { ...NO_FILTERS, unreadOnly: true })).toBe(false);
    expect(matches(item, { ...NO_FILTERS, unreadOnly: true })).toBe(true);
    expect(matches(item, { ...NO_FILTERS, from: "2025-03-10", to: "2025-03-10" })).toBe(true);
    expect(matches({ ...item, created_at: at("2025-03-10", 23) }, { ...NO_FILTERS, to: "2025-03-10" })).toBe(true);
    expect(matches(item, { ...NO_FILTERS, from: "2025-03-11" })).toBe(false);
    expect(matches(item, { ...NO_FILTERS, to: "2025-03-09" })).toBe(false);
  });

  it("stops offering older pages once they are before the range", () => {
    expect(olderCanMatch(at("2025-03-10"), { ...NO_FILTERS, from: "2025-03-09" })).toBe(true);
    expect(olderCanMatch(at("2025-03-08"), { ...NO_FILTERS, from: "2025-03-09" })).toBe(false);
    expect(olderCanMatch(at("2025-03-08"), NO_FILTERS)).toBe(true);
  });

  it("names the types people can pick", () => {
    expect(actionLabel("order.completed_with_failures")).toBe("Order completed with failures");
    expect(actionLabel("notification.digest")).toBe("Digest");
    expect(actionOptions([{ action: "order.rejected" }, { action: "notification.digest" }, { action: "order.rejected" }])).toEqual([
      { value: "notification.digest", label: "Digest" },
      { value: "order.rejected", label: "Order rejected" },
    ]);
  });
});
