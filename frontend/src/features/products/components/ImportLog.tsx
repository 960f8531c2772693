import { Alert, Button, Card, DataTable, Spinner, StatusPill } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useImportRows } from "../api/list-import-rows";
import { filterCount, offeredFilters, shownLabel } from "./import-summary";
import type { LogEntry, LogFilter, RowCounts } from "./import-summary";
import "./products.css";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { formatNumber } from "@/i18n/format";

const columnsOf = (t: TFunction<"products">): Array<Column<LogEntry>> => [
  { key: "row", header: t("log.row"), width: "8%", align: "right", render: (entry) => entry.row },
  { key: "status", header: t("log.status"), width: "14%", render: (entry) => <StatusPill status={entry.status} /> },
  { key: "pim", header: t("log.pimId"), width: "22%", render: (entry) => <span className="products__mono">{entry.pim_id ?? "—"}</span> },
  { key: "reason", header: t("log.reason"), render: (entry) => entry.reason ?? "" },
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
  const { t } = useTranslation("products");
  const rows = useImportRows(importId, filter === "all" ? undefined : filter);
  const shown = rows.data?.pages.flatMap((page) => page.items) ?? [];
  const total = filterCount(counts, filter);

  return (
    <Card
      title={t("log.title")}
      flush
      actions={
        <div className="products-import__filters" role="group" aria-label={t("log.show")}>
          {offeredFilters(counts).map((f) => (
            <button key={f} type="button" className="products-import__filter" aria-pressed={filter === f} onClick={() => onFilter(f)}>
              {t(`log.filters.${f}`)} <span className="products__muted">{formatNumber(filterCount(counts, f))}</span>
            </button>
          ))}
        </div>
      }
    >
      {rows.isError ? (
        <Alert>{t("log.error", { error: errorMessage(rows.error) })}</Alert>
      ) : rows.isPending ? (
        <div className="products-import__more">
          <Spinner />
        </div>
      ) : (
        <DataTable caption={t("log.caption")} columns={columnsOf(t)} rows={shown} rowKey={(entry) => String(entry.row)} empty={t("log.empty")} />
      )}
      {rows.hasNextPage && (
        <div className="products-import__more">
          <span className="products__muted">{shownLabel(shown.length, total)}</span>{" "}
          <Button size="sm" loading={rows.isFetchingNextPage} onClick={() => void rows.fetchNextPage()}>
            {t("log.more")}
          </Button>
        </div>
      )}
    </Card>
  );
}
