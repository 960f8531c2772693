import { badgeText, isFreshNotification, markAllReadLocally, markReadLocally, orderTarget, relativeTime, toastTone } from "./bell";

const item = (id: number, read: boolean) => ({
  id,
  tenant_id: null,
  action: "order.completed",
  message: `n${id}`,
  target_type: "order",
  target_id: `order-${id}`,
  recipient_id: null,
  audience: null,
  detail: {},
  created_at: "2025-01-01T10:00:00Z",
  read,
  read_at: read ? "2025-01-01T10:01:00Z" : null,
});

describe("notification bell", () => {
  it("shows a badge only for unread ones", () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(undefined)).toBeNull();
    expect(badgeText(3)).toBe("3");
    expect(badgeText(120)).toBe("99+");
  });

  it("marks one read and lowers the count once", () => {
    const page = { items: [item(2, false), item(1, true)], unread_count: 5, next_cursor: null, total: 2, total_is_estimate: false };
    const after = markReadLocally(page, 2, "now");
    expect(after.items[0]).toMatchObject({ id: 2, read: true, read_at: "now" });
    expect(after.unread_count).toBe(4);
    expect(markReadLocally(after, 2).unread_count).toBe(4); // already read
    expect(markReadLocally(page, 1).unread_count).toBe(5);
  });

  it("marks all read", () => {
    const page = { items: [item(2, false), item(1, false)], unread_count: 2, next_cursor: null, total: 2, total_is_estimate: false };
    const after = markAllReadLocally(page);
    expect(after.unread_count).toBe(0);
    expect(after.items.every((i) => i.read)).toBe(true);
  });

  it("toasts each live notification once", () => {
    const seen = new Set<number>();
    expect(isFreshNotification({ type: "notification", id: 7 }, seen)).toBe(true);
    expect(isFreshNotification({ type: "notification", id: 7 }, seen)).toBe(false);
    expect(isFreshNotification({ type: "order_line", id: 8 }, seen)).toBe(false);
    expect(isFreshNotification({ type: "notification" }, seen)).toBe(false);
  });

  it("links orders and tells times and tones", () => {
    expect(orderTarget({ target_type: "order", target_id: "abc" })).toBe("abc");
    expect(orderTarget({ target_type: "cad_file", target_id: "abc" })).toBeNull();
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(relativeTime("2025-01-01T11:59:50Z", now)).toBe("just now");
    expect(relativeTime("2025-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(relativeTime("2025-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(relativeTime("2024-12-31T11:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("2024-12-28T12:00:00Z", now)).toBe("4 days ago");
    expect(toastTone("order.rejected", "")).toBe("danger");
    expect(toastTone("order.completed", "Order #X rendering complete: 3/3 succeeded, 0 failed")).toBe("success");
    expect(toastTone("order.completed", "Order #X rendering complete: 2/3 succeeded, 1 failed")).toBe("warning");
  });

  it("toasts an order completed with failures as a warning, and keeps red for failures and rejections", () => {
    expect(toastTone("order.completed_with_failures", "Order #X completed with failures: 1/3 succeeded, 1 failed, 1 cancelled")).toBe(
      "warning",
    );
    expect(toastTone("order.rejected", "Order #X was rejected")).toBe("danger");
    expect(toastTone("order_line.failed", "Line failed")).toBe("danger");
    expect(toastTone("render.stalled", "")).toBe("danger");
    expect(toastTone("order.cancelled", "Order #X cancelled by Paul")).toBe("info");
  });
});
