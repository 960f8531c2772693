import { useEffect, useState } from "react";
import { Badge, StatusPill } from "@/components/ui";
import { formatDuration, stepLabel, stepSeconds } from "@/lib/job-document";
import type { JobDocument } from "@/lib/job-document";
import { deviceInfo, timelineSteps } from "./timeline";
import { useTranslation } from "react-i18next";

/** Re-renders every second while `active` (running steps show their time so far). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** A line's job document as a timeline: each step with status, duration, engine, device, notes. */
export function StepTimeline({ doc, kind }: { doc: JobDocument; kind: string }) {
  const { t } = useTranslation("orders");
  const steps = timelineSteps(doc, kind);
  const now = useNow(steps.some((s) => s.status === "running"));
  if (steps.length === 0) {
    return <p className="muted">{doc.error ?? t("timeline.nothing")}</p>;
  }
  return (
    <div className="timeline-wrap">
      <ol className="timeline" aria-label={t("timeline.steps")}>
        {steps.map((step, index) => {
          const device = deviceInfo(step);
          const seconds = stepSeconds(step, now);
          return (
            <li key={`${step.name}-${index}`} className="timeline__step" data-status={step.status} data-step={step.name}>
              <span className="timeline__marker" aria-hidden="true" />
              <div className="timeline__body">
                <div className="timeline__head">
                  <span className="timeline__name">{stepLabel(step.name)}</span>
                  <StatusPill status={step.status} />
                  {seconds !== null && (
                    <span className="timeline__duration" title={t("timeline.duration")}>
                      {formatDuration(seconds)}
                      {step.status === "running" ? t("timeline.soFar") : ""}
                    </span>
                  )}
                  {(step.attempts ?? 0) > 1 && <Badge tone="muted">{t("timeline.attempt", { count: step.attempts })}</Badge>}
                </div>
                {(step.engine || device) && (
                  <div className="timeline__meta">
                    {step.engine && <Badge>{step.engine}</Badge>}
                    {device && (
                      <Badge tone={device.kind === "gpu" ? "success" : "neutral"} data-testid="device">
                        {device.label}
                      </Badge>
                    )}
                    {device?.fallbackReason && <span className="timeline__fallback">{t("timeline.noGpu", { reason: device.fallbackReason })}</span>}
                  </div>
                )}
                {step.message && <div className="timeline__message">{step.message}</div>}
                {step.error && <div className="timeline__error">{step.error}</div>}
              </div>
            </li>
          );
        })}
      </ol>
      {doc.error && !steps.some((s) => s.error === doc.error) && <div className="timeline__error">{doc.error}</div>}
      {(doc.host || doc.pid) && (
        <p className="timeline__host muted">
          {doc.host && <>{t("timeline.host", { host: doc.host })}</>}
          {doc.pid ? <>{t("timeline.pid", { pid: doc.pid })}</> : null}
          {doc.celery_task_id && <>{t("timeline.task")} <code>{doc.celery_task_id.slice(0, 8)}</code></>}
        </p>
      )}
    </div>
  );
}
