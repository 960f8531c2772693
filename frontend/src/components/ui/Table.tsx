import { Fragment } from "react";
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
  /**
   * The cell takes the width left by the other columns and never widens the table; its content
   * cuts itself (a `Truncate`, perhaps more than one line of them). Implied by `fullText`.
   */
  shrink?: boolean;
}

export interface DataTableProps<T> {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  caption?: string;
  /** Classes of the table itself (next to `ui-table`). */
  className?: string;
  /** In a flush Card: no border of its own. */
  flush?: boolean;
  /** `data-*` attributes of a row (for styles and tests). */
  rowAttributes?: (row: T) => Record<`data-${string}`, string | undefined>;
  /** More of a row, shown under it across every column when not null (an expanded row). */
  detail?: (row: T) => ReactNode;
}

/**
 * A plain table from column definitions; clickable rows when `onRowClick` is given. On a narrow
 * screen (ui.css) each row becomes a card listing "label: value" per cell.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  onRowClick,
  empty,
  caption,
  className,
  flush = false,
  rowAttributes,
  detail,
}: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) {
    return typeof empty === "string" ? <EmptyState title={empty} /> : <>{empty}</>;
  }
  return (
    <div className={cx("ui-table-wrap", flush && "ui-table-wrap--flush")}>
      {/* With a cut column the layout is fixed: the header's widths hold whatever the cells contain. */}
      <table className={cx("ui-table", columns.some((column) => column.fullText) && "ui-table--fixed", className)}>
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
          {rows.map((row) => {
            const more = detail?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <tr
                  {...rowAttributes?.(row)}
                  data-clickable={onRowClick ? "true" : undefined}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                >
                  {columns.map((column) => (
                    <Cell key={column.key} column={column} row={row} />
                  ))}
                </tr>
                {more != null && more !== false && (
                  <tr className="ui-table__detail">
                    <td colSpan={columns.length} data-label="">
                      {more}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cell<T>({ column, row }: { column: Column<T>; row: T }) {
  const full = column.fullText?.(row);
  return (
    <td
      data-label={columnLabel(column)}
      className={cx(column.align === "right" && "ui-table__num", (full !== undefined || column.shrink) && "ui-table__cut") || undefined}
    >
      {/* One element per value: as a card, the cell is a grid of its label and this. */}
      <div className={full !== undefined ? "ui-truncate" : "ui-table__value"} title={full}>
        {column.render(row)}
      </div>
    </td>
  );
}

function columnLabel<T>(column: Column<T>): string {
  return column.label ?? (typeof column.header === "string" ? column.header : "");
}
