import { render, screen } from "@testing-library/react";
import { StatusPill, statusTone } from "@/components/ui";

describe("StatusPill", () => {
  it.each([
    ["draft", "neutral"],
    ["submitted", "info"],
    ["processing", "progress"],
    ["completed", "success"],
    ["rejected", "danger"],
    ["cancelled", "muted"],
    ["queued", "info"],
    ["running", "progress"],
    ["failed", "danger"],
    ["uploaded", "info"],
    ["ready", "success"],
  ])("shows %s in the %s tone", (status, tone) => {
    render(<StatusPill status={status} />);
    const pill = screen.getByText(status.charAt(0).toUpperCase() + status.slice(1));
    expect(pill).toHaveAttribute("data-tone", tone);
    expect(statusTone(status)).toBe(tone);
  });

  it("labels unknown statuses readably and neutrally", () => {
    render(<StatusPill status="waiting_for_slot" />);
    expect(screen.getByText("Waiting for slot")).toHaveAttribute("data-tone", "neutral");
  });
});
