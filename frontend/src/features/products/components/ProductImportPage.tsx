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

const MAPPING_EXAMPLE = '{"Nr.": "pim_id", "Text": "name", "Gruppe": "category_key", "Zeichnung": "ignore"}';

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** Upload an Excel product list (project managers and above), and the recent imports. */
export function ProductImportPage() {
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
        title="Import products"
        description="Upload an Excel product list (.xlsx). Each row becomes a product; a PIM id that exists already is updated."
        actions={
          <Link to="/products" className="ui-button ui-button--secondary">
            Back to products
          </Link>
        }
      />
      <div className="products-import">
        <Card title="Excel workbook">
          <form className="products-import__form" onSubmit={submit}>
            <Field
              label="Workbook"
              hint="The first sheet is read. Columns for PIM id and name are required; category, bearing type (Lagertyp) and CAD file are recognised by their German or English names, other columns become attributes."
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
                  label="Column mapping (JSON)"
                  hint={`Header → field (pim_id, name, category_key, lagertyp, cad_file or "ignore"); it wins over the names Automat recognises. Example: ${MAPPING_EXAMPLE}`}
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

            {upload.isPending && <ProgressBar value={upload.progress} label={`Uploading ${file?.name ?? ""}`} />}
            {upload.isError && (
              <ImportError error={upload.error} retrying={upload.isPending} onRetryWithMapping={(mapping) => start(mapping)} />
            )}

            <div className="products-import__actions">
              <Button type="submit" variant="primary" disabled={!file || !parsed.ok} loading={upload.isPending}>
                Import
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
  const imports = useImports();
  const navigate = useNavigate();
  const columns: Array<Column<ImportSummary>> = [
    { key: "name", header: "File", render: (item) => item.original_name },
    { key: "when", header: "Started", width: "20%", render: (item) => dateTime.format(new Date(item.created_at)) },
    { key: "status", header: "Status", width: "14%", render: (item) => <StatusPill status={item.status} /> },
    {
      key: "counts",
      header: "Result",
      width: "30%",
      render: (item) => (item.status === "completed" ? formatImportCounts(item.row_counts) : isFinished(item.status) ? item.error ?? "Failed" : "…"),
    },
  ];
  return (
    <Card title="Recent imports" flush>
      {imports.isLoading ? (
        <div className="products__loading">
          <Spinner /> Loading imports…
        </div>
      ) : imports.isError ? (
        <div className="ui-card__body">{errorMessage(imports.error)}</div>
      ) : (
        <DataTable
          caption="Recent imports"
          columns={columns}
          rows={allItems(imports.data)}
          rowKey={(item) => item.id}
          onRowClick={(item) => void navigate({ to: "/products/imports/$importId", params: { importId: item.id } })}
          empty={<div className="ui-card__body products__muted">No imports yet.</div>}
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
