import { render, screen, within } from "@testing-library/react";
import type { CadPart } from "../api/get-cad-file";
import { MaterialTable } from "./MaterialTable";

const part = (position: number, name: string, material: string | null, reason: string | null): CadPart => ({
  position,
  name,
  path: `Bearing/${name}`,
  color: null,
  bbox_mm: {},
  volume_mm3: 100,
  area_mm2: 10,
  triangles: 1200,
  material,
  material_reason: reason,
});

describe("MaterialTable", () => {
  it("lists each part with its material and the reason, fallback marked magenta", () => {
    render(
      <MaterialTable
        parts={[
          part(0, "Inner_Ring", "SCHAEFFLER_010101_Steel", "alias"),
          part(1, "Ball", "SCHAEFFLER_010102_Chrome", "pattern"),
          part(2, "Cage", "SCHAEFFLER_059999_FailedMaterial", "fallback"),
        ]}
      />,
    );
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[1]?.textContent)).toEqual(["Inner_Ring", "Ball", "Cage"]);
    expect(within(rows[0] as HTMLElement).getByText("Alias")).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText("Pattern")).toBeInTheDocument();
    const fallback = within(rows[2] as HTMLElement).getByText("Fallback (no match)");
    expect(fallback).toHaveClass("cad-reason--fallback");
    expect(screen.getByText(/1 of 3 parts/)).toBeInTheDocument();
  });

  it("shows parts in their CAD colour with a swatch and a note", () => {
    render(
      <MaterialTable
        parts={[
          part(0, "Widget_Left", "CAD_COLOUR_FF0000", "cad_colour"),
          part(1, "Widget_Right", "CAD_COLOUR_0000FF", "cad_colour"),
          part(2, "Ball", "SCHAEFFLER_010102_Chrome", "pattern"),
        ]}
      />,
    );
    const rows = screen.getAllByRole("row").slice(1);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByText("CAD colour (no match)")).toBeInTheDocument();
    expect(first.querySelector(".cad-swatch")).toHaveStyle({ background: "#FF0000" });
    expect((rows[2] as HTMLElement).querySelector(".cad-swatch")).toBeNull();
    expect(screen.getByText(/2 of 3 parts matched no alias and render in the colour/)).toBeInTheDocument();
    expect(screen.queryByText(/magenta fallback/)).not.toBeInTheDocument();
  });

  it("has no magenta note when every part matched", () => {
    render(<MaterialTable parts={[part(0, "Shaft", "SCHAEFFLER_010101_Steel", "exact")]} />);
    expect(screen.queryByText(/fallback material/)).not.toBeInTheDocument();
  });
});
