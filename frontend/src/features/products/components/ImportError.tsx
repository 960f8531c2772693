import { useTranslation } from "react-i18next";
import { useState } from "react";
import { Alert, Button, DataTable, Select } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { MAPPING_FIELDS, fieldLabel, mappingFromChoices, missingColumnsDetails, missingRequired } from "./mapping";
import type { MappingTarget } from "./mapping";

export interface ImportErrorProps {
  error: unknown;
  /** Upload the same file again with this mapping (offered for missing_columns). */
  onRetryWithMapping: (mapping: Record<string, MappingTarget>) => void;
  retrying: boolean;
}

const TITLES: Record<string, string> = {
  bad_excel: "This file is not a readable Excel workbook",
  missing_columns: "Required columns are missing",
  invalid_mapping: "The column mapping is not valid",
  ambiguous_columns: "Two columns claim the same field",
  payload_too_large: "The file is too large",
  network_error: "Automat cannot be reached",
};

/** The API's refusal of an upload, said plainly; a missing column can be mapped right here. */
export function ImportError({ error, onRetryWithMapping, retrying }: ImportErrorProps) {
  const { t } = useTranslation("products");
  const code = error instanceof ApiError ? error.code : "";
  const columns = code === "missing_columns" && error instanceof ApiError ? missingColumnsDetails(error.details) : null;
  return (
    <div className="products-import__error" data-testid="import-error" data-code={code}>
      <Alert>
        <strong>{TITLES[code] ? t(`importError.${code}`) : t("importError.other")}</strong>
        <div>{errorMessage(error)}</div>
        {code === "bad_excel" && <div>{t("importError.saveAsXlsx")}</div>}
      </Alert>
      {columns && <ColumnPicker header={columns.header} missing={columns.missing} onApply={onRetryWithMapping} busy={retrying} />}
    </div>
  );
}

function ColumnPicker({
  header,
  missing,
  onApply,
  busy,
}: {
  header: string[];
  missing: string[];
  onApply: (mapping: Record<string, MappingTarget>) => void;
  busy: boolean;
}) {
  const { t } = useTranslation("products");
  const [choices, setChoices] = useState<Record<string, MappingTarget | "">>({});
  const lacking = missingRequired(choices, missing);
  const mapping = mappingFromChoices(choices);
  return (
    <div className="products-import__picker">
      <p>
        {t("importError.headerBelow", { fields: missing.map(fieldLabel).join(t("importError.and")) })}
      </p>
      <DataTable
        caption={t("importError.columns")}
        columns={[
          { key: "column", header: t("importError.column"), render: (cell) => cell },
          {
            key: "field",
            header: t("importError.field"),
            render: (cell) => (
              <Select
                aria-label={t("importError.fieldFor", { column: cell })}
                value={choices[cell] ?? ""}
                onChange={(event) => setChoices({ ...choices, [cell]: event.target.value as MappingTarget | "" })}
              >
                <option value="">{t("importError.automatic")}</option>
                {[...MAPPING_FIELDS, "ignore" as const].map((field) => (
                  <option key={field} value={field}>
                    {fieldLabel(field)}
                  </option>
                ))}
              </Select>
            ),
          },
        ]}
        rows={header}
        rowKey={(cell) => cell}
      />
      <div className="products-import__actions">
        <Button variant="primary" disabled={!mapping || lacking.length > 0} loading={busy} onClick={() => mapping && onApply(mapping)}>
          {t("importError.retry")}
        </Button>
        {lacking.length > 0 && (
          <span className="products__muted">{t("importError.stillNeeded", { fields: lacking.map(fieldLabel).join(", ") })}</span>
        )}
      </div>
    </div>
  );
}
