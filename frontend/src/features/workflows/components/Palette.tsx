import type { StepInfo } from "./connections";
import { STEP_MIME } from "./WorkflowCanvas";
import { useTranslation } from "react-i18next";

export interface PaletteProps {
  steps: StepInfo[];
  onAdd: (step: StepInfo) => void;
}

/** The steps a node can be (those that run on the workflow's subject): click or drag one onto the canvas. */
export function Palette({ steps, onAdd }: PaletteProps) {
  const { t } = useTranslation("workflows");
  return (
    <aside className="wf-palette" aria-label={t("palette.title")}>
      <h2 className="wf-palette__title">{t("palette.title")}</h2>
      <p className="wf-palette__hint">{t("palette.hint")}</p>
      <ul className="wf-palette__list">
        {steps.map((step) => (
          <li key={step.name}>
            <button
              type="button"
              className="wf-palette__item"
              draggable
              title={step.help}
              onClick={() => onAdd(step)}
              onDragStart={(event) => {
                event.dataTransfer.setData(STEP_MIME, step.name);
                event.dataTransfer.effectAllowed = "copy";
              }}
            >
              <span className="wf-palette__label">{step.label}</span>
              <span className="wf-palette__io">
                {step.consumes.join(", ") || t("palette.start")} → {step.produces.join(", ")}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
