import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Card, DataTable, PageHeader, Spinner } from "@/components/ui";
import type { Column, Tone } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import { errorMessage } from "@/lib/api";
import { useWorkers } from "../api/workers";
import type { Queue, Worker } from "../api/workers";
import { Blocklist } from "./Blocklist";
import { PoolSettings } from "./PoolSettings";
import "./workers.css";

const STATE_TONES: Record<string, Tone> = { online: "success", offline: "danger", stopped: "muted" };

/** Global admins: every worker (state, queues, pool, device, running task), every queue's length,
 * the blocklist (workers that failed a step too often in a row) and the pools. */
export function WorkersPage() {
  const { t } = useTranslation("workers");
  const format = useFormat();
  const overview = useWorkers();

  const queueColumns: Array<Column<Queue>> = [
    { key: "name", header: t("queues.name"), render: (q) => <code>{q.name}</code> },
    { key: "length", header: t("queues.length"), align: "right", render: (q) => format.number(q.length) },
    {
      key: "online",
      header: t("queues.online"),
      align: "right",
      render: (q) =>
        q.workers_online > 0 ? (
          format.number(q.workers_online)
        ) : (
          <Badge tone="danger" title={t("queues.none")}>
            0
          </Badge>
        ),
    },
  ];
  const workerColumns: Array<Column<Worker>> = [
    { key: "name", header: t("workers.name"), render: (w) => <code>{w.name}</code> },
    { key: "host", header: t("workers.host"), render: (w) => w.host },
    {
      key: "state",
      header: t("workers.state"),
      render: (w) => <Badge tone={STATE_TONES[w.state] ?? "neutral"}>{t(`workers.states.${w.state}`, w.state)}</Badge>,
    },
    { key: "queues", header: t("workers.queues"), render: (w) => w.queues.join(", ") },
    { key: "pool", header: t("workers.pool"), align: "right", render: (w) => (w.pool_size == null ? "–" : format.number(w.pool_size)) },
    { key: "device", header: t("workers.device"), render: (w) => w.device ?? "–" },
    {
      key: "running",
      header: t("workers.running"),
      render: (w) =>
        w.current_tasks.length === 0 ? t("workers.idle") : w.current_tasks.map((task) => task.name.split(".").pop()).join(", "),
    },
    { key: "seen", header: t("workers.lastSeen"), render: (w) => format.relative(w.last_seen) },
  ];

  return (
    <>
      <PageHeader title={t("title")} description={t("intro")} />
      {overview.isPending ? (
        <Spinner label={t("title")} />
      ) : overview.isError ? (
        <Alert>{errorMessage(overview.error)}</Alert>
      ) : (
        <>
          <Card title={t("queues.title")} flush>
            <DataTable caption={t("queues.caption")} columns={queueColumns} rows={overview.data.queues} rowKey={(q) => q.name} flush />
          </Card>
          <Card title={t("workers.title")} flush className="workers-section">
            <DataTable
              caption={t("workers.caption")}
              columns={workerColumns}
              rows={overview.data.workers}
              rowKey={(w) => w.name}
              rowAttributes={(w) => ({ "data-state": w.state })}
              empty={<p>{t("workers.empty")}</p>}
              flush
            />
          </Card>
          <div className="workers-section">
            <Blocklist
              entries={overview.data.blocklist ?? []}
              threshold={overview.data.blocklist_threshold ?? 0}
              alertsLink={
                <Link to="/notifications" search={{ tab: "alerts" }}>
                  {t("blocklist.alerts")}
                </Link>
              }
            />
          </div>
          <div className="workers-section">
            <PoolSettings />
          </div>
        </>
      )}
    </>
  );
}
