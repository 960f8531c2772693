import { Link, useNavigate } from "@tanstack/react-router";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Button, Card, DataTable, Field, Input, LoadMore, PageHeader, ProgressBar, Spinner, StatusPill, Textarea } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useImports } from "../api/list-imports";
import { useUploadExcel } from "../api/upload-excel";
import { ImportError } from "./ImportError";
import { formatImportCounts, isFinished } from "./import-summary";
import type { ImportSummary } from "./import-summary";
import { parseMapping } from "./mapping";
import type { MappingTarget } from "./mapping";
import "./products.css";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";

const MAPPING_EXAMPLE = '{"Nr.": "pim_id", "Text": "name", "Gruppe": "category_key", "Zeichnung": "ignore"}';


/** Upload an Excel product list (project managers and above), and the recent imports. */
export function ProductImportPage() {
  const { t } = useTranslation("products");
  const navigate = useNavigate();
  const upload = useUploadExcel();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [showMapping, setShowMapping] = useState(false);
  const [mappingText, setMappingText] = useState("");
  const parsed = parseMapping(mappingText);

  const start = (mapping: Record<string, MappingTarget> | null) => {
    if (!file) return;
    upload.mutate(
      { file, mapping },
      { onSuccess: (record) => void navigate({ to: "/products/imports/$importId", params: { importId: record.id } }) },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.ok) start(parsed.mapping);
  };

  return (
    <>
      <PageHeader
        title={t("import.title")}
        description={t("import.description")}
        actions={
          <Link to="/products" className="ui-button ui-button--secondary">
            {t("import.back")}
          </Link>
        }
      />
      <div className="products-import">
        <Card title={t("import.workbookCard")}>
          <form className="products-import__form" onSubmit={submit}>
            <Field
              label={t("import.workbook")}
              hint={t("import.workbookHint")}
            >
              <Input
                ref={fileInput}
                type="file"
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  upload.reset();
                }}
              />
            </Field>

            <div>
              <Button variant="ghost" size="sm" aria-expanded={showMapping} onClick={() => setShowMapping(!showMapping)}>
                {showMapping ? "▾" : "▸"} Advanced: column mapping
              </Button>
              {showMapping && (
                <Field
                  label={t("import.mapping")}
                  hint={t("import.mappingHint", { example: MAPPING_EXAMPLE })}
                  error={parsed.ok ? undefined : parsed.error}
                >
                  <Textarea
                    value={mappingText}
                    onChange={(event) => setMappingText(event.target.value)}
                    placeholder={MAPPING_EXAMPLE}
                    spellCheck={false}
                    className="products__mono"
                  />
                </Field>
              )}
            </div>

            {upload.isPending && <ProgressBar value={upload.progress} label={t("import.uploading", { name: file?.name ?? "" })} />}
            {upload.isError && (
              <ImportError error={upload.error} retrying={upload.isPending} onRetryWithMapping={(mapping) => start(mapping)} />
            )}

            <div className="products-import__actions">
              <Button type="submit" variant="primary" disabled={!file || !parsed.ok} loading={upload.isPending}>
                {t("import.submit")}
              </Button>
            </div>
          </form>
        </Card>

        <RecentImports />
      </div>
    </>
  );
}

function RecentImports() {
  const { t } = useTranslation("products");
  const fmt = useFormat(); // dates in the UI's language, again after a switch
  const imports = useImports();
  const navigate = useNavigate();
  const columns: Array<Column<ImportSummary>> = [
    { key: "name", header: t("import.file"), render: (item) => item.original_name },
    { key: "when", header: t("import.started"), width: "20%", render: (item) => fmt.dateTime(item.created_at) },
    { key: "status", header: t("import.status"), width: "14%", render: (item) => <StatusPill status={item.status} /> },
    {
      key: "counts",
      header: t("import.result"),
      width: "30%",
      render: (item) => (item.status === "completed" ? formatImportCounts(item.row_counts) : isFinished(item.status) ? item.error ?? t("import.failed") : "…"),
    },
  ];
  return (
    <Card title={t("import.recent")} flush>
      {imports.isLoading ? (
        <div className="products__loading">
          <Spinner /> Loading imports…
        </div>
      ) : imports.isError ? (
        <div className="ui-card__body">{errorMessage(imports.error)}</div>
      ) : (
        <DataTable
          caption={t("import.recent")}
          columns={columns}
          rows={allItems(imports.data)}
          rowKey={(item) => item.id}
          onRowClick={(item) => void navigate({ to: "/products/imports/$importId", params: { importId: item.id } })}
          empty={<div className="ui-card__body products__muted">{t("import.noImports")}</div>}
        />
      )}
      {imports.data && allItems(imports.data).length > 0 && (
        <LoadMore
          shown={allItems(imports.data).length}
          {...totalOf(imports.data)}
          hasNext={imports.hasNextPage}
          loading={imports.isFetchingNextPage}
          onMore={() => void imports.fetchNextPage()}
        />
      )}
    </Card>
  );
}
