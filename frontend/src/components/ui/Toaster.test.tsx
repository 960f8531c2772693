import { act, render, screen } from "@testing-library/react";
import { Toaster, toast } from "@/components/ui";

describe("Toaster", () => {
  it("shows each toast in its tone (the colour of its edge, ui.css)", () => {
    render(<Toaster />);
    act(() => {
      toast({ title: "Order completed with failures", tone: "warning", durationMs: 0 });
      toast({ title: "Order rejected", tone: "danger", durationMs: 0 });
      toast({ title: "Draft saved", durationMs: 0 });
    });
    const tone = (title: string) => screen.getByText(title).closest(".ui-toast");
    expect(tone("Order completed with failures")).toHaveAttribute("data-tone", "warning");
    expect(tone("Order completed with failures")).toHaveClass("ui-toast--warning");
    expect(tone("Order rejected")).toHaveAttribute("data-tone", "danger");
    expect(tone("Draft saved")).toHaveAttribute("data-tone", "info");
  });
});
