import { useId, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button, Card, EmptyState } from "@/components/ui";
import { saveBlob } from "@/lib/files";
import { EChart } from "./EChart";
import type { ChartOption } from "./EChart";
import { toCsv } from "./csv";
import type { Cell } from "./csv";

export interface ChartData {
  /** Column headings, as shown in the table and written in the CSV. */
  columns: string[];
  rows: Cell[][];
}

export interface ChartCardProps {
  id: string;
  title: string;
  /** What the chart shows, for screen readers (the table has the numbers). */
  description: string;
  data: ChartData;
  option: ChartOption;
  fileName: string;
  onSelect?: (name: string) => void;
  hint?: string;
  /** A control per table row (what clicking the row's bar does, for keyboards and screen readers). */
  rowAction?: (row: Cell[]) => ReactNode;
}

/** A chart with its title, its data as a table on request ("Show data") and as a CSV download. */
export function ChartCard({ id, title, description, data, option, fileName, onSelect, hint, rowAction }: ChartCardProps) {
  const { t } = useTranslation("analytics");
  const [showData, setShowData] = useState(false);
  const tableId = useId();
  const download = () =>
    saveBlob(new Blob([toCsv(data.columns, data.rows)], { type: "text/csv;charset=utf-8" }), fileName);
  return (
    <Card
      title={title}
      className="analytics-card"
      data-testid={`chart-${id}`}
      actions={
        <div className="analytics-card__actions">
          <Button size="sm" variant="ghost" aria-expanded={showData} aria-controls={tableId} onClick={() => setShowData((v) => !v)}>
            {showData ? t("chart.hideData") : t("chart.showData")}
          </Button>
          <Button size="sm" variant="secondary" onClick={download} disabled={data.rows.length === 0} aria-label={t("chart.downloadNamed", { title })}>
            {t("chart.download")}
          </Button>
        </div>
      }
    >
      {data.rows.length === 0 ? (
        <EmptyState title={t("chart.empty")} />
      ) : (
        <>
          <EChart option={option} label={`${title}. ${description}`} onSelect={onSelect} testId={`echart-${id}`} />
          {hint && <p className="muted analytics-card__hint">{hint}</p>}
        </>
      )}
      <div id={tableId} hidden={!showData}>
        {showData && (
          <table className="analytics-table">
            <caption>{title}</caption>
            <thead>
              <tr>
                {data.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                {rowAction && <td />}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((cell, column) => (
                    <td key={column}>{cell ?? "–"}</td>
                  ))}
                  {rowAction && <td>{rowAction(row)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}
