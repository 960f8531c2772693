import { formatCents, outputSize, planLines, toCents, toggle, totalCents } from "./wizard";

const product = (id: string) => ({ id, pim_id: `PIM-${id}`, name: `Bearing ${id}` });
const outputType = (id: string, price: string, render_settings: Record<string, unknown> = {}) => ({
  id,
  name: `Type ${id}`,
  kind: "still" as const,
  price,
  render_settings,
});

describe("order wizard", () => {
  it("makes one line per product and output type, priced by the output type", () => {
    const lines = planLines([product("a"), product("b"), product("c")], [outputType("t", "0.50"), outputType("s", "12.00")]);
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.key)).toEqual(["a:t", "a:s", "b:t", "b:s", "c:t", "c:s"]);
    expect(totalCents(lines)).toBe(3 * 50 + 3 * 1200);
    expect(formatCents(totalCents(lines))).toBe("37.50");
  });

  it("has no lines until both sides are picked", () => {
    expect(planLines([product("a")], [])).toEqual([]);
    expect(planLines([], [outputType("t", "1")])).toEqual([]);
    expect(totalCents([])).toBe(0);
  });

  it("counts a pair picked twice once", () => {
    expect(planLines([product("a"), product("a")], [outputType("t", "1.00")])).toHaveLength(1);
  });

  it("adds money in cents, without floating point drift", () => {
    const lines = planLines([product("a")], Array.from({ length: 10 }, (_, i) => outputType(`t${i}`, "0.10")));
    expect(totalCents(lines)).toBe(100);
    expect(formatCents(100)).toBe("1.00");
    expect(toCents("35")).toBe(3500);
    expect(toCents("oops")).toBe(0);
    expect(formatCents(123456789)).toBe("1,234,567.89");
  });

  it("shows the size from the render settings", () => {
    expect(outputSize({ width: 256, height: 256, format: "png" })).toBe("256 × 256 px");
    expect(outputSize({ width: 1024, height: 1024, frames: 36 }, "turntable")).toBe("1024 × 1024 px · 36 frames");
    expect(outputSize({ width: 64, height: 64, frames: 36 }, "thumbnail")).toBe("64 × 64 px");
    expect(outputSize({ width: 1024, height: 1024 }, "glb")).toBe("");
    expect(outputSize({})).toBe("");
    expect(outputSize(null)).toBe("");
  });

  it("toggles a selection in picking order", () => {
    expect(toggle(["a"], "b")).toEqual(["a", "b"]);
    expect(toggle(["a", "b"], "a")).toEqual(["b"]);
  });
});
