import { describe, expect, it } from "vitest";
import { cadChoices } from "./cad-picker";

const files = [
  { id: "1", original_name: "6204-2RSR.stp", status: "ready" },
  { id: "2", original_name: "Lager 6204.STEP", status: "ready" },
  { id: "3", original_name: "6204_failed.stp", status: "failed" },
  { id: "4", original_name: "NU205.stp", status: "processing" },
];

const names = (list: typeof files) => list.map((f) => f.original_name);

describe("cadChoices", () => {
  it("finds names however case, dashes and spaces are typed, names starting with it first", () => {
    expect(names(cadChoices(files, "62042rsr", { allStates: false }))).toEqual(["6204-2RSR.stp"]);
    expect(names(cadChoices(files, "6204", { allStates: false }))).toEqual(["6204-2RSR.stp", "Lager 6204.STEP"]);
    expect(names(cadChoices(files, "lager 6204", { allStates: false }))).toEqual(["Lager 6204.STEP"]);
  });

  it("offers ready files only unless every state is asked for", () => {
    expect(names(cadChoices(files, "", { allStates: false }))).toEqual(["6204-2RSR.stp", "Lager 6204.STEP"]);
    expect(names(cadChoices(files, "", { allStates: true }))).toEqual([
      "6204_failed.stp",
      "6204-2RSR.stp",
      "Lager 6204.STEP",
      "NU205.stp",
    ]);
  });

  it("does not offer the file that is linked already", () => {
    expect(names(cadChoices(files, "6204", { allStates: false, linkedId: "1" }))).toEqual(["Lager 6204.STEP"]);
  });
});
