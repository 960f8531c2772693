import { cx } from "./cx";

export interface ProgressBarProps {
  /** 0 to 1. */
  value: number;
  label?: string;
  tone?: "default" | "success" | "danger";
  /** Shows the percentage beside the label. */
  showValue?: boolean;
}

export function ProgressBar({ value, label, tone = "default", showValue = true }: ProgressBarProps) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={cx("ui-progress", tone !== "default" && `ui-progress--${tone}`)}>
      {(label || showValue) && (
        <div className="ui-progress__label">
          <span>{label}</span>
          {showValue && <span>{percent}%</span>}
        </div>
      )}
      <div
        className="ui-progress__track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={label}
      >
        <div className="ui-progress__bar" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
