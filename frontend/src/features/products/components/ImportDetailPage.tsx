import { useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import type { ComponentType } from "react";
import { Alert, Card, PageHeader, PageSpinner, Spinner, StatusPill } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useImport } from "../api/get-import";
import { ImportLog } from "./ImportLog";
import { filterCount, headerRowNote, importHeadline, isFinished } from "./import-summary";
import type { LogFilter } from "./import-summary";
import "./products.css";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";


const route = getRouteApi("/_app/products/imports/$importId");

export interface ImportDetailPageProps {
  /** The import's workflow run, live on the canvas, with Retry of a failed import (src/app gives the workflows' run view). */
  importRun?: ComponentType<{ subjectId: string }>;
}

/** One import: status while it runs (polled), then the counts and its row log, a page at a time. */
export function ImportDetailPage({ importRun: ImportRun }: ImportDetailPageProps = {}) {
  const { t } = useTranslation("products");
  const fmt = useFormat(); // dates in the UI's language, again after a switch
  const { importId } = route.useParams();
  const record = useImport(importId);
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<LogFilter>("all");
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
    return <Alert>{t("import.loadError", { error: errorMessage(record.error) })}</Alert>;
  }
  const data = record.data;
  const counts = data.row_counts;
  const finished = isFinished(data.status);

  return (
    <>
      <PageHeader
        title={t("import.of", { name: data.original_name })}
        description={t("import.startedAt", { date: fmt.dateTime(data.created_at) })}
        actions={
          <>
            <Link to="/products/import" className="ui-button ui-button--secondary">
              {t("import.another")}
            </Link>
            <Link to="/products" className="ui-button ui-button--primary">
              {t("import.products")}
            </Link>
          </>
        }
      />
      <Card className="products-import__status">
        <div className="products-import__headline">
          <StatusPill status={data.status} />
          {!finished && <Spinner />}
          <span data-testid="import-summary" className={data.status === "failed" ? "products__danger" : undefined}>
            {importHeadline(data)}
          </span>
        </div>
        {finished && headerRowNote(data.column_mapping) && (
          <div className="products__muted" data-testid="import-header-row">
            {headerRowNote(data.column_mapping)}
          </div>
        )}
      </Card>

      {finished && filterCount(counts, "all") > 0 && (
        <ImportLog importId={importId} counts={counts} filter={filter} onFilter={setFilter} />
      )}

      {ImportRun && (
        <Card title={t("import.workflow")} className="products-import__run">
          <ImportRun subjectId={importId} />
        </Card>
      )}
    </>
  );
}
