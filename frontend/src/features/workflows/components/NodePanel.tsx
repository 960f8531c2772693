import { useMemo } from "react";
import { Button } from "@/components/ui";
import type { StepInfo } from "./connections";
import type { GraphNode } from "./graph";
import { ParamsForm } from "./ParamsForm";
import type { Problem } from "./problems";
import { problemField } from "./problems";
import { formFields } from "./schema-form";
import type { ParamValue } from "./schema-form";
import { useTranslation } from "react-i18next";

export interface NodePanelProps {
  node: GraphNode;
  step: StepInfo | undefined;
  problems: Problem[];
  /** Absent: read-only. */
  onParam?: (key: string, value: ParamValue | null) => void;
  onRemove?: () => void;
}

/** The selected node: its step, what it takes and makes, its generated parameter form, its problems. */
export function NodePanel({ node, step, problems, onParam, onRemove }: NodePanelProps) {
  const { t } = useTranslation("workflows");
  const fields = useMemo(() => formFields(step?.params_schema), [step]);
  const errors: Record<string, string> = {};
  const other: Problem[] = [];
  for (const problem of problems) {
    const field = problemField(problem);
    if (field && fields.some((f) => f.key === field)) errors[field] = problem.message;
    else other.push(problem);
  }
  return (
    <section className="wf-panel" aria-label={t("panel.label", { id: node.id })} data-testid="node-panel">
      <header className="wf-panel__header">
        <h2 className="wf-panel__title">{step?.label ?? node.step}</h2>
        <code className="wf-panel__id">{node.id}</code>
      </header>
      {step ? (
        <>
          <p className="wf-panel__help">{step.help}</p>
          <dl className="wf-panel__io">
            <dt>{t("panel.takes")}</dt>
            <dd>{step.consumes.join(", ") || t("panel.takesSubject")}</dd>
            <dt>{t("panel.makes")}</dt>
            <dd>{step.produces.join(", ") || t("panel.nothing")}</dd>
          </dl>
        </>
      ) : (
        <p className="wf-panel__help">{t("panel.gone", { step: node.step })}</p>
      )}
      {other.length > 0 && (
        <ul className="wf-panel__problems">
          {other.map((problem, i) => (
            <li key={i}>{problem.message}</li>
          ))}
        </ul>
      )}
      <h3 className="wf-panel__subtitle">{t("panel.parameters")}</h3>
      <ParamsForm key={node.id} fields={fields} params={node.params} onChange={onParam} errors={errors} />
      {onRemove && (
        <Button variant="danger" size="sm" className="wf-panel__remove" onClick={onRemove}>
          {t("panel.remove")}
        </Button>
      )}
    </section>
  );
}
