import type { ReactNode } from "react";
import { cx } from "./cx";
import { EmptyState } from "./EmptyState";

export interface Column<T> {
  /** A stable key for React. */
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  align?: "left" | "right";
  width?: string;
  /** The column's name beside each value when the table is shown as cards (narrow screens);
   * defaults to `header` when that is a string. An empty string shows no name. */
  label?: string;
  /**
   * The cell's full text. Given, the cell takes the width left by the other columns and its content
   * is cut to one line with an ellipsis; the full text is shown on hover (title) and on focus.
   */
  fullText?: (row: T) => string;
}

export interface DataTableProps<T> {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  caption?: string;
}

/**
 * A plain table from column definitions; clickable rows when `onRowClick` is given. On a narrow
 * screen (ui.css) each row becomes a card listing "label: value" per cell.
 */
export function DataTable<T>({ columns, rows, rowKey, onRowClick, empty, caption }: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) {
    return typeof empty === "string" ? <EmptyState title={empty} /> : <>{empty}</>;
  }
  return (
    <div className="ui-table-wrap">
      {/* With a cut column the layout is fixed: the header's widths hold whatever the cells contain. */}
      <table className={cx("ui-table", columns.some((column) => column.fullText) && "ui-table--fixed")}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.key}
                style={column.width ? { width: column.width } : undefined}
                className={column.align === "right" ? "ui-table__num" : undefined}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              data-clickable={onRowClick ? "true" : undefined}
              onClick={onRowClick ? () => onRowClick(row) : undefined}
            >
              {columns.map((column) => {
                const full = column.fullText?.(row);
                return (
                  <td
                    key={column.key}
                    data-label={columnLabel(column)}
                    className={cx(column.align === "right" && "ui-table__num", full !== undefined && "ui-table__cut") || undefined}
                  >
                    {full !== undefined ? (
                      <div className="ui-truncate" title={full}>
                        {column.render(row)}
                      </div>
                    ) : (
                      column.render(row)
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function columnLabel<T>(column: Column<T>): string {
  return column.label ?? (typeof column.header === "string" ? column.header : "");
}
