import type { AriaAttributes } from "react";
import { cx } from "./cx";

/**
 * One input for a typed value, chosen by its kind: a number field with min/max/step and the unit
 * beside it, a select of choices, a switch, a line or a block of text, or checkboxes for a set.
 * The draft is a string for numbers and text (what was typed, even half-typed), a boolean for a
 * switch and a list for checkboxes; `draftOf` and `valueOf` convert to and from the API's value.
 *
 *   <Field label="Samples"><ValueInput kind="int" value={draft} onChange={setDraft} min={1} max={4096} /></Field>
 */
export type ValueKind = "int" | "float" | "bool" | "str" | "select" | "text" | "multi";
export type ValueDraft = string | boolean | string[];

export interface ValueChoice {
  value: string;
  label: string;
}

export interface ValueInputProps extends AriaAttributes {
  kind: ValueKind;
  value: ValueDraft;
  onChange: (value: ValueDraft) => void;
  /** Options of a select or of the checkboxes. */
  choices?: ValueChoice[];
  min?: number | null;
  max?: number | null;
  /** A number's step; decimals without one take any value. */
  step?: number | null;
  /** Shown after a number ("MB", "%"). */
  unit?: string | null;
  id?: string;
  name?: string;
  disabled?: boolean;
  className?: string;
}

/** The draft of an API value (null/undefined: empty). */
export function draftOf(kind: ValueKind, value: unknown): ValueDraft {
  if (kind === "bool") return value === true;
  if (kind === "multi") return Array.isArray(value) ? value.map(String) : [];
  return value === null || value === undefined ? "" : String(value);
}

/** The API value of a draft: numbers as numbers (an unreadable one as the text, for the API to refuse). */
export function valueOf(kind: ValueKind, draft: ValueDraft): unknown {
  if (kind === "int" || kind === "float") {
    const text = String(draft).trim().replace(",", ".");
    const number = Number(text);
    return text !== "" && Number.isFinite(number) ? number : String(draft);
  }
  return draft;
}

export function ValueInput({
  kind,
  value,
  onChange,
  choices = [],
  min,
  max,
  step,
  unit,
  id,
  name,
  disabled,
  className,
  ...aria
}: ValueInputProps) {
  if (kind === "bool") {
    return (
      <input
        id={id}
        name={name}
        type="checkbox"
        role="switch"
        className={cx("ui-switch", className)}
        checked={value === true}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        {...aria}
      />
    );
  }
  if (kind === "multi") {
    const picked = Array.isArray(value) ? value : [];
    return (
      <div id={id} role="group" className={cx("ui-checks", className)} {...aria}>
        {choices.map((choice) => (
          <label key={choice.value} className="ui-checks__item">
            <input
              type="checkbox"
              name={name}
              value={choice.value}
              checked={picked.includes(choice.value)}
              disabled={disabled}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? choices.map((c) => c.value).filter((v) => v === choice.value || picked.includes(v))
                    : picked.filter((v) => v !== choice.value),
                )
              }
            />
            {choice.label}
          </label>
        ))}
      </div>
    );
  }
  if (kind === "select") {
    return (
      <select
        id={id}
        name={name}
        className={cx("ui-input", className)}
        value={String(value)}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        {...aria}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  }
  if (kind === "text") {
    return (
      <textarea
        id={id}
        name={name}
        className={cx("ui-input", className)}
        value={String(value)}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        {...aria}
      />
    );
  }
  const number = kind === "int" || kind === "float";
  const input = (
    <input
      id={id}
      name={name}
      type={number ? "number" : "text"}
      inputMode={number ? (kind === "int" ? "numeric" : "decimal") : undefined}
      className={cx("ui-input", number && "ui-input--number", className)}
      value={String(value)}
      min={number ? (min ?? undefined) : undefined}
      max={number ? (max ?? undefined) : undefined}
      step={number ? (step ?? "any") : undefined}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      {...aria}
    />
  );
  if (!unit) return input;
  return (
    <span className="ui-unit">
      {input}
      <span className="ui-unit__label" aria-hidden="true">
        {unit}
      </span>
    </span>
  );
}
