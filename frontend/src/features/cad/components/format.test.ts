import { bboxSize, formatBbox, formatBytes, formatCount, formatNumber, formatVolume, reasonLabel } from "./format";

describe("formatBytes", () => {
  it("steps by 1024 with few digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(215_456)).toBe("210 KB");
    expect(formatBytes(12.25 * 1_048_576)).toBe("12.3 MB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3 GB");
  });
  it("says nothing for what is not a size", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("formatNumber", () => {
  it("keeps two decimals for small values and drops trailing zeros", () => {
    expect(formatNumber(9)).toBe("9");
    expect(formatNumber(36.9975)).toBe("37");
    expect(formatNumber(18.4994)).toBe("18.5");
    expect(formatNumber(0.125)).toBe("0.13");
    expect(formatNumber(123.456)).toBe("123.5");
    expect(formatNumber(-0.001)).toBe("0");
  });
  it("groups thousands with a thin space", () => {
    expect(formatNumber(67788)).toBe("67\u2009788");
    expect(formatNumber(1234567.8)).toBe("1\u2009234\u2009568");
  });
});

describe("bounding box", () => {
  it("writes x × y × z in mm", () => {
    expect(formatBbox([9, 36.9975, 36.9999])).toBe("9 × 37 × 37 mm");
    expect(formatBbox([0.5, 12.25, 1200])).toBe("0.5 × 12.25 × 1\u2009200 mm");
  });
  it("takes size, or computes it from min and max", () => {
    expect(bboxSize({ size: [1, 2, 3] })).toEqual([1, 2, 3]);
    expect(bboxSize({ min: [0, -18.5, -18.5], max: [9, 18.5, 18.5] })).toEqual([9, 37, 37]);
    expect(bboxSize({})).toBeNull();
    expect(bboxSize(null)).toBeNull();
  });
  it("shows a dash for anything else", () => {
    expect(formatBbox(undefined)).toBe("—");
    expect(formatBbox([1, 2])).toBe("—");
    expect(formatBbox([1, "2", 3])).toBe("—");
  });
});

describe("formatVolume", () => {
  it("switches to cm³ from 1000 mm³", () => {
    expect(formatVolume(523.6)).toBe("523.6 mm³");
    expect(formatVolume(6543.2)).toBe("6.54 cm³");
    expect(formatVolume(null)).toBe("—");
  });
});

describe("counts and reasons", () => {
  it("formats counts", () => {
    expect(formatCount(16)).toBe("16");
    expect(formatCount(undefined)).toBe("—");
  });
  it("names each material reason", () => {
    expect(reasonLabel("alias")).toBe("Alias");
    expect(reasonLabel("pattern")).toBe("Pattern");
    expect(reasonLabel("fallback")).toBe("Fallback (no match)");
    expect(reasonLabel(null)).toBe("Not assigned");
    expect(reasonLabel("new_reason")).toBe("new_reason");
  });
});
