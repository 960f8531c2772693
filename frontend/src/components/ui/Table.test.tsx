import { render, screen, within } from "@testing-library/react";
import { DataTable, PageHeader, Truncate } from "@/components/ui";
import type { Column } from "@/components/ui";

interface Row {
  id: string;
  name: string;
  size: number;
}

const LONG = `Deep groove ball bearing ${"with a very long description ".repeat(10)}`.trim();

const columns: Array<Column<Row>> = [
  { key: "thumb", header: <span className="sr-only">Thumbnail</span>, label: "", render: () => "▣" },
  { key: "name", header: "Name", fullText: (row) => row.name, render: (row) => <a href={`#${row.id}`}>{row.name}</a> },
  { key: "size", header: "Size", align: "right", render: (row) => `${row.size} kB` },
];

describe("DataTable with long values", () => {
  it("keeps the full text of a cut cell on hover (title) and in the page", () => {
    render(<DataTable caption="Files" columns={columns} rows={[{ id: "a", name: LONG, size: 12 }]} rowKey={(r) => r.id} />);
    const table = screen.getByRole("table", { name: "Files" });
    const link = within(table).getByRole("link", { name: LONG }); // read in full by assistive tech
    expect(link.closest("[title]")).toHaveAttribute("title", LONG);
    expect(link.closest("td")).toHaveClass("ui-table__cut");
    // With a cut column no cell widens the table: its layout is fixed by the header.
    expect(table).toHaveClass("ui-table--fixed");
  });

  it("names each value for the narrow layout (cards): the header, or the column's label", () => {
    render(<DataTable caption="Files" columns={columns} rows={[{ id: "a", name: "6204", size: 12 }]} rowKey={(r) => r.id} />);
    const cells = within(screen.getByRole("table", { name: "Files" })).getAllByRole("cell");
    expect(cells.map((cell) => cell.getAttribute("data-label"))).toEqual(["", "Name", "Size"]);
  });

  it("lays a table without cut columns out by its content", () => {
    const plain = columns.map(({ fullText: _fullText, ...column }) => column);
    render(<DataTable caption="Plain" columns={plain} rows={[{ id: "a", name: "6204", size: 1 }]} rowKey={(r) => r.id} />);
    expect(screen.getByRole("table", { name: "Plain" })).not.toHaveClass("ui-table--fixed");
  });
});

describe("Truncate and PageHeader", () => {
  it("show a long text whole to hover and to screen readers", () => {
    render(
      <>
        <PageHeader title={LONG} />
        <Truncate text={LONG}>
          <strong>{LONG}</strong>
        </Truncate>
      </>,
    );
    expect(screen.getByRole("heading", { level: 1, name: LONG })).toHaveAttribute("title", LONG);
    expect(screen.getByText(LONG, { selector: "strong" }).parentElement).toHaveAttribute("title", LONG);
  });
});
