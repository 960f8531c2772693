import { useMemo, useState } from "react";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Dialog, Field, Input, LoadMore, PageHeader, Select, Spinner } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useFailedLines, useOrderAnalytics, useRenderAnalytics } from "../api/analytics";
import type { OrderAnalytics, RenderAnalytics } from "../api/analytics";
import { ChartCard } from "./ChartCard";
import type { ChartData } from "./ChartCard";
import type { ChartOption } from "./EChart";
import { PRESETS, presetRange, rangeProblem } from "./range";
import type { DateRange, GroupBy, Preset } from "./range";
import "./analytics.css";

const COLOURS = { completed: "#2f855a", failed: "#c53030", gpu: "#3f6ad8", cpu: "#dd6b20", p50: "#3f6ad8", p90: "#805ad5", p95: "#d53f8c" };

/** Seconds, rounded for a table and a CSV (null stays empty). */
const secs = (value: number | null | undefined) => (value == null ? null : Math.round(value * 10) / 10);

/** Render, queue and failure figures of the tenant (a global admin: every tenant, or the picked one). */
export function AnalyticsPage() {
  const { t } = useTranslation("analytics");
  const [preset, setPreset] = useState<Preset>("30");
  const [custom, setCustom] = useState<DateRange>(() => presetRange(30));
  const [groupBy, setGroupBy] = useState<GroupBy>("day");
  const [failedStep, setFailedStep] = useState<string | null>(null);
  const range = useMemo(() => (preset === "custom" ? custom : presetRange(Number(preset))), [preset, custom]);
  const problem = rangeProblem(range);
  const renders = useRenderAnalytics(range, groupBy, problem === null);
  const orders = useOrderAnalytics(range, groupBy, problem === null);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card className="analytics-controls">
        <div className="analytics-controls__row">
          <Field label={t("range.label")}>
            <Select value={preset} onChange={(e) => setPreset(e.target.value as Preset)} data-testid="range-preset">
              {PRESETS.map((days) => (
                <option key={days} value={days}>
                  {t("range.lastDays", { count: Number(days) })}
                </option>
              ))}
              <option value="custom">{t("range.custom")}</option>
            </Select>
          </Field>
          {preset === "custom" && (
            <>
              <Field label={t("range.from")}>
                <Input type="date" value={custom.from} max={custom.to} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
              </Field>
              <Field label={t("range.to")}>
                <Input type="date" value={custom.to} min={custom.from} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
              </Field>
            </>
          )}
          <Field label={t("groupBy.label")}>
            <Select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
              <option value="day">{t("groupBy.day")}</option>
              <option value="week">{t("groupBy.week")}</option>
            </Select>
          </Field>
        </div>
        {problem && <Alert tone="warning">{t(problem)}</Alert>}
      </Card>
      {renders.isError && <Alert tone="danger">{errorMessage(renders.error)}</Alert>}
      {renders.isPending && problem === null ? (
        <Spinner label={t("loading")} />
      ) : renders.data ? (
        <RenderCharts data={renders.data} range={range} onFailedStep={setFailedStep} />
      ) : null}
      {orders.data && <OrdersChart data={orders.data} range={range} />}
      <FailedLinesDialog range={range} step={failedStep} onClose={() => setFailedStep(null)} />
    </>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="analytics-figure" data-testid={testId}>
      <span className="analytics-figure__value">{value}</span>
      <span className="analytics-figure__label">{label}</span>
    </div>
  );
}

function RenderCharts({ data, range, onFailedStep }: { data: RenderAnalytics; range: DateRange; onFailedStep: (step: string) => void }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const totals = data.totals;
  const seconds = (value: number | null | undefined) => (value == null ? "–" : t("seconds", { value: format.number(value, { maximumFractionDigits: 1 }) }));
  const file = (id: string) => `analytics-${id}-${range.from}-${range.to}.csv`;
  const stepName = (step: string) => t(`steps.${step}`, { defaultValue: step });

  const throughput: ChartData = {
    columns: [t("columns.period"), t("columns.completed"), t("columns.failed"), t("columns.renderP50"), t("columns.waitP50")],
    rows: data.series.map((s) => [s.period, s.completed, s.failed, secs(s.render_s.p50), secs(s.wait_s.p50)]),
  };
  const throughputOption: ChartOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.series.map((s) => s.period) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: t("columns.completed"), type: "bar", stack: "jobs", color: COLOURS.completed, data: data.series.map((s) => s.completed) },
      { name: t("columns.failed"), type: "bar", stack: "jobs", color: COLOURS.failed, data: data.series.map((s) => s.failed) },
    ],
  };

  const durations: ChartData = {
    columns: [t("columns.outputType"), t("columns.kind"), t("columns.renders"), t("columns.p50"), t("columns.p90"), t("columns.p95")],
    rows: data.by_output_type.map((o) => [o.name, o.kind, o.count, secs(o.render_s.p50), secs(o.render_s.p90), secs(o.render_s.p95)]),
  };
  const durationsOption: ChartOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.by_output_type.map((o) => o.name) },
    yAxis: { type: "value", name: t("secondsUnit") },
    series: (["p50", "p90", "p95"] as const).map((p) => ({
      name: t(`columns.${p}`),
      type: "bar" as const,
      color: COLOURS[p],
      data: data.by_output_type.map((o) => secs(o.render_s[p])),
    })),
  };

  const device: ChartData = {
    columns: [t("columns.device"), t("columns.renders"), t("columns.share")],
    rows:
      totals.gpu + totals.cpu === 0
        ? []
        : [
            [t("device.gpu"), totals.gpu, Math.round((totals.gpu / (totals.gpu + totals.cpu)) * 1000) / 10],
            [t("device.cpu"), totals.cpu, Math.round((totals.cpu / (totals.gpu + totals.cpu)) * 1000) / 10],
          ],
  };
  const deviceOption: ChartOption = {
    tooltip: { trigger: "item" },
    legend: { top: 0 },
    series: [
      {
        name: t("charts.device"),
        type: "pie",
        radius: ["40%", "70%"],
        top: 24,
        data: [
          { name: t("device.gpu"), value: totals.gpu, itemStyle: { color: COLOURS.gpu } },
          { name: t("device.cpu"), value: totals.cpu, itemStyle: { color: COLOURS.cpu } },
        ],
      },
    ],
  };

  const failures: ChartData = {
    columns: [t("columns.step"), t("columns.failures"), t("columns.topError"), t("columns.topErrorCount")],
    rows: data.failures_by_step.map((f) => [f.step, f.count, f.top_errors[0]?.message ?? null, f.top_errors[0]?.count ?? null]),
  };
  const failuresOption: ChartOption = {
    tooltip: {
      trigger: "item",
      formatter: (params: unknown) => {
        const name = (params as { name?: string }).name ?? "";
        const entry = data.failures_by_step.find((f) => f.step === name);
        const errors = (entry?.top_errors ?? []).map((e) => `${e.count}× ${escapeHtml(e.message)}`).join("<br/>");
        return `<strong>${escapeHtml(stepName(name))}</strong>: ${entry?.count ?? 0}<br/>${errors}`;
      },
    },
    grid: { left: 140, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.failures_by_step.map((f) => f.step), axisLabel: { formatter: stepName } },
    series: [{ name: t("columns.failures"), type: "bar", color: COLOURS.failed, cursor: "pointer", data: data.failures_by_step.map((f) => f.count) }],
  };

  return (
    <>
      <div className="analytics-figures" data-testid="render-figures">
        <Figure label={t("figures.renders")} value={format.number(totals.count)} testId="figure-renders" />
        <Figure label={t("figures.failed")} value={format.number(totals.failed)} />
        <Figure label={t("figures.renderP50")} value={seconds(totals.render_s.p50)} />
        <Figure label={t("figures.renderP95")} value={seconds(totals.render_s.p95)} />
        <Figure label={t("figures.waitP50")} value={seconds(totals.wait_s.p50)} />
        <Figure label={t("figures.e2eP95")} value={seconds(totals.e2e_s.p95)} />
        <Figure
          label={t("figures.gpuShare")}
          value={totals.gpu_share == null ? "–" : format.number(totals.gpu_share, { style: "percent", maximumFractionDigits: 1 })}
        />
      </div>
      <div className="analytics-grid">
        <ChartCard id="throughput" title={t("charts.throughput")} description={t("charts.throughputDescription")}
          data={throughput} option={throughputOption} fileName={file("throughput")} />
        <ChartCard id="durations" title={t("charts.durations")} description={t("charts.durationsDescription")}
          data={durations} option={durationsOption} fileName={file("durations")} />
        <ChartCard id="device" title={t("charts.device")} description={t("charts.deviceDescription")}
          data={device} option={deviceOption} fileName={file("device")} />
        <ChartCard id="failures" title={t("charts.failures")} description={t("charts.failuresDescription")}
          data={failures} option={failuresOption} fileName={file("failures")} onSelect={onFailedStep}
          hint={t("charts.failuresHint")}
          rowAction={(row) => (
            <Button size="sm" variant="ghost" onClick={() => onFailedStep(String(row[0]))}>
              {t("failedLines.open")}
            </Button>
          )} />
      </div>
    </>
  );
}

function OrdersChart({ data, range }: { data: OrderAnalytics; range: DateRange }) {
  const { t } = useTranslation("analytics");
  const statuses = data.statuses.map((s) => s.status);
  const table: ChartData = {
    columns: [t("columns.period"), ...statuses.map((s) => t(`orderStatus.${s}`, { defaultValue: s }))],
    rows: data.series.map((p) => [p.period, ...statuses.map((s) => p.statuses.find((x) => x.status === s)?.count ?? 0)]),
  };
  const option: ChartOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.series.map((p) => p.period) },
    yAxis: { type: "value", minInterval: 1 },
    series: statuses.map((s) => ({
      name: t(`orderStatus.${s}`, { defaultValue: s }),
      type: "bar" as const,
      stack: "orders",
      data: data.series.map((p) => p.statuses.find((x) => x.status === s)?.count ?? 0),
    })),
  };
  const rate = data.rejection_rate == null ? "–" : `${Math.round(data.rejection_rate * 1000) / 10} %`;
  return (
    <div className="analytics-grid analytics-grid--single">
      <ChartCard id="orders" title={t("charts.orders")} description={t("charts.ordersDescription", { rate })}
        data={table} option={option} fileName={`analytics-orders-${range.from}-${range.to}.csv`}
        hint={t("charts.ordersHint", { rate, average: data.lines_per_order.average ?? "–" })} />
    </div>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function FailedLinesDialog({ range, step, onClose }: { range: DateRange; step: string | null; onClose: () => void }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const lines = useFailedLines(range, step);
  const items = allItems(lines.data);
  const { total } = totalOf(lines.data);
  return (
    <Dialog open={step !== null} onClose={onClose} wide title={t("failedLines.title", { step: step ? t(`steps.${step}`, { defaultValue: step }) : "" })}>
      {lines.isPending ? (
        <Spinner label={t("loading")} />
      ) : lines.isError ? (
        <Alert tone="danger">{errorMessage(lines.error)}</Alert>
      ) : (
        <>
          <table className="analytics-table" data-testid="failed-lines">
            <thead>
              <tr>
                <th scope="col">{t("failedLines.order")}</th>
                <th scope="col">{t("failedLines.product")}</th>
                <th scope="col">{t("columns.outputType")}</th>
                <th scope="col">{t("failedLines.error")}</th>
                <th scope="col">{t("failedLines.when")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((line) => (
                <tr key={line.line_id}>
                  <td>
                    <Link to="/orders/$orderId" params={{ orderId: line.order_id }} hash={`line-${line.line_id}`}>
                      {line.order_number ?? t("failedLines.deletedOrder")}
                    </Link>
                  </td>
                  <td>{line.product_name ?? "–"}</td>
                  <td>{line.output_type_name ?? "–"}</td>
                  <td>{line.error ?? "–"}</td>
                  <td>{format.dateTime(line.finished_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore
            shown={items.length}
            total={total}
            hasNext={lines.hasNextPage}
            loading={lines.isFetchingNextPage}
            onMore={() => void lines.fetchNextPage()}
          />
        </>
      )}
    </Dialog>
  );
}
