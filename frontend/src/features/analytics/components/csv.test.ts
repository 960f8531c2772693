import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("CSV cells", () => {
  it("prefixes text that a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+49 30 1234")).toBe("'+49 30 1234");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("leaves ordinary text and numbers alone, negative numbers included", () => {
    expect(csvCell("render_still")).toBe("render_still");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('out of memory, "again"')).toBe('"out of memory, ""again"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("writes a header and rows with CRLF line ends", () => {
    expect(toCsv(["step", "count"], [["=cmd|' /C calc'!A0", 3], ["deliver", 1]])).toBe(
      "step,count\r\n'=cmd|' /C calc'!A0,3\r\ndeliver,1\r\n",
    );
  });
});
