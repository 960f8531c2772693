import { useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { Alert, Button, Card, DataTable, PageHeader, PageSpinner, Spinner, StatusPill } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useImport } from "../api/get-import";
import { LOG_FILTERS, countLog, filterLog, importHeadline, isFinished } from "./import-summary";
import type { LogEntry, LogFilter } from "./import-summary";
import "./products.css";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

const route = getRouteApi("/_app/products/imports/$importId");

const FILTER_LABELS: Record<LogFilter, string> = {
  all: "All rows",
  skipped: "Skipped",
  warning: "Warnings",
  imported: "Imported",
  updated: "Updated",
};

/** Rows of the log drawn at first; a 10,000-row import shows the rest on request. */
const LOG_PAGE = 500;

const columns: Array<Column<LogEntry>> = [
  { key: "row", header: "Row", width: "8%", align: "right", render: (entry) => entry.row },
  { key: "status", header: "Status", width: "14%", render: (entry) => <StatusPill status={entry.status} /> },
  { key: "pim", header: "PIM id", width: "22%", render: (entry) => <span className="products__mono">{entry.pim_id ?? "—"}</span> },
  { key: "reason", header: "Reason", render: (entry) => entry.reason ?? "" },
];

/** One import: status while it runs (polled), then the counts and the log of every row. */
export function ImportDetailPage() {
  const { importId } = route.useParams();
  const record = useImport(importId);
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<LogFilter>("all");
  const [showAll, setShowAll] = useState(false);
  const status = record.data?.status;

  // Finished: the product list and the recent imports have changed.
  useEffect(() => {
    if (status && isFinished(status)) {
      void queryClient.invalidateQueries({ queryKey: ["products"] });
      void queryClient.invalidateQueries({ queryKey: ["imports", "list"] });
    }
  }, [status, queryClient]);

  if (record.isLoading) return <PageSpinner />;
  if (record.isError || !record.data) {
    return <Alert>The import could not be loaded: {errorMessage(record.error)}</Alert>;
  }
  const data = record.data;
  const counts = countLog(data.log);
  const warnings = counts.warning ?? 0;
  const finished = isFinished(data.status);
  const rows = filterLog(data.log, filter);
  const shown = showAll ? rows : rows.slice(0, LOG_PAGE);

  return (
    <>
      <PageHeader
        title={`Import of ${data.original_name}`}
        description={`Started ${dateTime.format(new Date(data.created_at))}`}
        actions={
          <>
            <Link to="/products/import" className="ui-button ui-button--secondary">
              Import another file
            </Link>
            <Link to="/products" className="ui-button ui-button--primary">
              Products
            </Link>
          </>
        }
      />
      <Card className="products-import__status">
        <div className="products-import__headline">
          <StatusPill status={data.status} />
          {!finished && <Spinner />}
          <span data-testid="import-summary" className={data.status === "failed" ? "products__danger" : undefined}>
            {importHeadline(data, warnings)}
          </span>
        </div>
      </Card>

      {finished && data.log.length > 0 && (
        <Card
          title="Import log"
          flush
          actions={
            <div className="products-import__filters" role="group" aria-label="Show rows">
              {LOG_FILTERS.filter((f) => f === "all" || counts[f]).map((f) => (
                <button
                  key={f}
                  type="button"
                  className="products-import__filter"
                  aria-pressed={filter === f}
                  onClick={() => {
                    setFilter(f);
                    setShowAll(false);
                  }}
                >
                  {FILTER_LABELS[f]} <span className="products__muted">{f === "all" ? data.log.length : counts[f]}</span>
                </button>
              ))}
            </div>
          }
        >
          <DataTable caption="Import log" columns={columns} rows={shown} rowKey={(entry) => `${entry.row}-${entry.status}`} empty="No rows" />
          {shown.length < rows.length && (
            <div className="products-import__more">
              <Button size="sm" onClick={() => setShowAll(true)}>
                Show all {rows.length.toLocaleString("en")} rows
              </Button>
            </div>
          )}
        </Card>
      )}
    </>
  );
}
