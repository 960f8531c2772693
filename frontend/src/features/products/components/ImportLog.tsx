import { Alert, Button, Card, DataTable, Spinner, StatusPill } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useImportRows } from "../api/list-import-rows";
import { filterCount, offeredFilters, shownLabel } from "./import-summary";
import type { LogEntry, LogFilter, RowCounts } from "./import-summary";
import "./products.css";

const FILTER_LABELS: Record<LogFilter, string> = {
  all: "All rows",
  skipped: "Skipped",
  warning: "Warnings",
  imported: "Imported",
  updated: "Updated",
};

const columns: Array<Column<LogEntry>> = [
  { key: "row", header: "Row", width: "8%", align: "right", render: (entry) => entry.row },
  { key: "status", header: "Status", width: "14%", render: (entry) => <StatusPill status={entry.status} /> },
  { key: "pim", header: "PIM id", width: "22%", render: (entry) => <span className="products__mono">{entry.pim_id ?? "—"}</span> },
  { key: "reason", header: "Reason", render: (entry) => entry.reason ?? "" },
];

export interface ImportLogProps {
  importId: string;
  /** The import's rows per status: the chips' counts and which chips there are. */
  counts: RowCounts;
  filter: LogFilter;
  onFilter: (filter: LogFilter) => void;
}

/** An import's row log: a chip per status with its count, 200 rows at a time, more on request. */
export function ImportLog({ importId, counts, filter, onFilter }: ImportLogProps) {
  const rows = useImportRows(importId, filter === "all" ? undefined : filter);
  const shown = rows.data?.pages.flatMap((page) => page.items) ?? [];
  const total = filterCount(counts, filter);

  return (
    <Card
      title="Import log"
      flush
      actions={
        <div className="products-import__filters" role="group" aria-label="Show rows">
          {offeredFilters(counts).map((f) => (
            <button key={f} type="button" className="products-import__filter" aria-pressed={filter === f} onClick={() => onFilter(f)}>
              {FILTER_LABELS[f]} <span className="products__muted">{filterCount(counts, f).toLocaleString("en")}</span>
            </button>
          ))}
        </div>
      }
    >
      {rows.isError ? (
        <Alert>The rows could not be loaded: {errorMessage(rows.error)}</Alert>
      ) : rows.isPending ? (
        <div className="products-import__more">
          <Spinner />
        </div>
      ) : (
        <DataTable caption="Import log" columns={columns} rows={shown} rowKey={(entry) => String(entry.row)} empty="No rows" />
      )}
      {rows.hasNextPage && (
        <div className="products-import__more">
          <span className="products__muted">{shownLabel(shown.length, total)}</span>{" "}
          <Button size="sm" loading={rows.isFetchingNextPage} onClick={() => void rows.fetchNextPage()}>
            Load more rows
          </Button>
        </div>
      )}
    </Card>
  );
}
