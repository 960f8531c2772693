import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, Input, Spinner } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { useSaveWorkerConfig, useWorkerConfigs } from "../api/workers";
import type { WorkerConfig } from "../api/workers";

/** Per queue: the least and most processes per worker that beat sizes the pools between. */
export function PoolSettings() {
  const { t } = useTranslation("workers");
  const configs = useWorkerConfigs();
  return (
    <Card title={t("pools.title")}>
      <p className="workers-note">{t("pools.intro")}</p>
      {configs.isPending ? (
        <Spinner label={t("pools.title")} />
      ) : configs.isError ? (
        <Alert>{errorMessage(configs.error)}</Alert>
      ) : (
        configs.data.map((config) => <PoolForm key={config.queue_name} config={config} />)
      )}
    </Card>
  );
}

function PoolForm({ config }: { config: WorkerConfig }) {
  const { t } = useTranslation("workers");
  const save = useSaveWorkerConfig();
  const [min, setMin] = useState(String(config.min_concurrency ?? 1));
  const [max, setMax] = useState(String(config.max_concurrency ?? 1));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ queue: config.queue_name, body: { min_concurrency: Number(min), max_concurrency: Number(max) } });
  };
  const label = (field: "min" | "max") => t(`pools.${field}`, { queue: config.queue_name });
  return (
    <form className="workers-pool" aria-label={t("pools.form", { queue: config.queue_name })} onSubmit={submit}>
      <code className="workers-pool__queue">{config.queue_name}</code>
      <Badge tone={config.configured ? "info" : "muted"}>{config.configured ? t("pools.configured") : t("pools.asStarted")}</Badge>
      <label className="workers-pool__field">
        <span>
          {t("pools.minShort")} <HelpTooltip entry="worker_config.min_concurrency" />
        </span>
        <Input type="number" min={1} max={64} required aria-label={label("min")} value={min} onChange={(e) => setMin(e.target.value)} />
      </label>
      <label className="workers-pool__field">
        <span>
          {t("pools.maxShort")} <HelpTooltip entry="worker_config.max_concurrency" />
        </span>
        <Input type="number" min={1} max={64} required aria-label={label("max")} value={max} onChange={(e) => setMax(e.target.value)} />
      </label>
      <Button type="submit" size="sm" disabled={save.isPending}>
        {t("common:save")}
      </Button>
      {config.configured && (
        <Button type="button" variant="ghost" size="sm" disabled={save.isPending} onClick={() => save.mutate({ queue: config.queue_name, body: null })}>
          {t("pools.clear")}
        </Button>
      )}
      {save.isError && (
        <div className="workers-pool__error">
          <Alert tone="danger">{errorMessage(save.error)}</Alert>
        </div>
      )}
    </form>
  );
}
