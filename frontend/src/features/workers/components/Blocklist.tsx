import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, DataTable } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { useFormat } from "@/i18n/format";
import { errorMessage } from "@/lib/api";
import { useClearBlock } from "../api/workers";
import type { Block } from "../api/workers";

/**
 * Workers blocklisted for a step (they hand its jobs to other workers) and those counting failures
 * of one, with a Clear button per blocklisted entry; `alertsLink` leads to the alerts raised.
 */
export function Blocklist({ entries, threshold, alertsLink }: { entries: Block[]; threshold: number; alertsLink?: ReactNode }) {
  const { t } = useTranslation("workers");
  const format = useFormat();
  const clear = useClearBlock();
  const columns: Array<Column<Block>> = [
    { key: "worker", header: t("blocklist.worker"), render: (b) => <code>{b.worker}</code> },
    { key: "step", header: t("blocklist.step"), render: (b) => <code>{b.step}</code> },
    {
      key: "state",
      header: t("blocklist.state"),
      render: (b) =>
        b.blocklisted ? <Badge tone="danger">{t("blocklist.blocklisted")}</Badge> : <Badge tone="info">{t("blocklist.counting")}</Badge>,
    },
    {
      key: "failures",
      header: t("blocklist.failures"),
      align: "right",
      render: (b) => t("blocklist.failuresOf", { failures: format.number(b.failures), threshold: format.number(threshold) }),
    },
    {
      key: "since",
      header: t("blocklist.since"),
      render: (b) => {
        const at = b.blocklisted_at ?? b.last_failure_at;
        return at ? <time dateTime={at} title={format.dateTime(at)}>{format.relative(at)}</time> : "–";
      },
    },
    { key: "error", header: t("blocklist.lastError"), fullText: (b) => b.last_error ?? "–", render: (b) => b.last_error ?? "–" },
    {
      key: "clear",
      header: t("blocklist.action"),
      label: "",
      render: (b) =>
        b.blocklisted ? (
          <span className="workers-block__clear">
            <Button
              size="sm"
              variant="secondary"
              disabled={clear.isPending}
              aria-label={t("blocklist.clearLabel", { worker: b.worker, step: b.step })}
              onClick={() => clear.mutate(b.id)}
            >
              {t("blocklist.clear")}
            </Button>
            <HelpTooltip entry="action.clear_worker_block" />
          </span>
        ) : null,
    },
  ];
  return (
    <Card
      title={
        <>
          {t("blocklist.title")} <HelpTooltip entry="setting.worker_blocklist_threshold" />
        </>
      }
      actions={alertsLink}
      flush
    >
      <p className="workers-note workers-block__intro">
        {threshold > 0 ? t("blocklist.intro", { threshold: format.number(threshold) }) : t("blocklist.off")}
      </p>
      {clear.isError && <Alert tone="danger">{errorMessage(clear.error)}</Alert>}
      <DataTable
        caption={t("blocklist.caption")}
        columns={columns}
        rows={entries}
        rowKey={(b) => String(b.id)}
        rowAttributes={(b) => ({ "data-blocklisted": String(b.blocklisted) })}
        empty={<p className="workers-block__intro">{t("blocklist.empty")}</p>}
        flush
      />
    </Card>
  );
}
