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
    // Each value is one element beside its label, however many parts it has.
    expect(cells.map((cell) => cell.children.length)).toEqual([1, 1, 1]);
  });

  it("lays a table without cut columns out by its content", () => {
    const plain = columns.map(({ fullText: _fullText, ...column }) => column);
    render(<DataTable caption="Plain" columns={plain} rows={[{ id: "a", name: "6204", size: 1 }]} rowKey={(r) => r.id} />);
    expect(screen.getByRole("table", { name: "Plain" })).not.toHaveClass("ui-table--fixed");
  });
});

describe("DataTable rows with more", () => {
  const plain: Array<Column<Row>> = [
    { key: "name", header: "Name", shrink: true, render: (row) => row.name },
    { key: "size", header: "Size", render: (row) => `${row.size} kB` },
  ];
  const rows = [
    { id: "a", name: "6204", size: 1 },
    { id: "b", name: "6205", size: 2 },
  ];

  it("marks rows with their data attributes and shows a row's detail under it, across every column", () => {
    render(
      <DataTable
        caption="Lines"
        columns={plain}
        rows={rows}
        rowKey={(r) => r.id}
        rowAttributes={(r) => ({ "data-testid": "line", "data-size": String(r.size) })}
        detail={(r) => (r.id === "a" ? <p>Steps of {r.name}</p> : null)}
      />,
    );
    const table = screen.getByRole("table", { name: "Lines" });
    expect(within(table).getAllByTestId("line").map((row) => row.getAttribute("data-size"))).toEqual(["1", "2"]);
    const bodyRows = within(table).getAllByRole("row").slice(1);
    expect(bodyRows).toHaveLength(3); // a, a's detail, b
    const detail = within(bodyRows[1] as HTMLElement).getByRole("cell");
    expect(detail).toHaveTextContent("Steps of 6204");
    expect(detail).toHaveAttribute("colspan", "2");
    expect(detail).toHaveAttribute("data-label", ""); // no label in the card layout
  });

  it("lets a column give way to the others without fixing the layout", () => {
    render(<DataTable caption="Shrunk" columns={plain} rows={rows} rowKey={(r) => r.id} flush />);
    const table = screen.getByRole("table", { name: "Shrunk" });
    expect(within(table).getAllByRole("cell")[0]).toHaveClass("ui-table__cut");
    expect(table).not.toHaveClass("ui-table--fixed");
    expect(table.parentElement).toHaveClass("ui-table-wrap--flush");
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
