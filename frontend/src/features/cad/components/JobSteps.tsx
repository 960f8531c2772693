import { StatusPill } from "@/components/ui";
import { formatDuration, readJobDocument, stepLabel, stepSeconds } from "@/lib/job-document";
import { useTranslation } from "react-i18next";

/** The processing steps of the file's job document, in order, with their durations. */
export function JobSteps({ jobDocument }: { jobDocument: unknown }) {
  const { t } = useTranslation("cad");
  const doc = readJobDocument(jobDocument);
  if (doc.steps.length === 0) {
    return <p className="cad-muted">{doc.state === "queued" ? t("steps.waiting") : t("steps.none")}</p>;
  }
  const total = doc.steps.reduce((sum, step) => sum + (step.duration_s ?? 0), 0);
  return (
    <>
      <ol className="cad-steps" data-testid="cad-steps">
        {doc.steps.map((step, index) => (
          <li key={`${step.name}-${index}`} className="cad-steps__item" data-status={step.status}>
            <span className="cad-steps__name">{stepLabel(step.name)}</span>
            <StatusPill status={step.status} />
            <span className="cad-steps__duration">{formatDuration(stepSeconds(step)) || "—"}</span>
            {(step.error || (step.device && step.engine)) && (
              <span className={step.error ? "cad-steps__error" : "cad-steps__note"}>
                {step.error ?? t("steps.on", { engine: step.engine, device: step.device })}
              </span>
            )}
          </li>
        ))}
      </ol>
      <p className="cad-muted cad-steps__total">{t("steps.total", { duration: formatDuration(total) || "—" })}</p>
    </>
  );
}
