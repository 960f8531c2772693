import { linearToCss } from "@/lib/colour";
import { baseName, suggestPatterns } from "./suggest-patterns";

describe("suggestPatterns", () => {
  it("offers the exact name, the first word and the last word with its separator", () => {
    expect(suggestPatterns("Outer_Ring")).toEqual([
      { kind: "exact", pattern: "Outer_Ring", label: "only parts named “Outer_Ring”" },
      { kind: "glob", pattern: "Outer*", label: "names starting with “Outer”" },
      { kind: "glob", pattern: "*_Ring", label: "names ending in “_Ring”" },
    ]);
  });

  it("drops instance suffixes first, as the server's resolver does", () => {
    expect(baseName("Ball_13")).toBe("Ball");
    expect(baseName("Ball.001")).toBe("Ball");
    expect(baseName("Ball (2)")).toBe("Ball");
    expect(suggestPatterns("Ball_13").map((s) => s.pattern)).toEqual(["Ball", "Ball*"]);
  });

  it("uses the real words of a long CAD name", () => {
    expect(suggestPatterns("transmission_pulley_at3_t10_center").map((s) => s.pattern)).toEqual([
      "transmission_pulley_at3_t10_center",
      "transmission*",
      "*_center",
    ]);
  });
});

describe("linearToCss", () => {
  it("encodes linear colour as sRGB", () => {
    expect(linearToCss([1, 0, 1, 1])).toBe("#ff00ff");
    expect(linearToCss([0.2158605, 0.2158605, 0.2158605])).toBe("#808080");
  });
});
