/**
 * A node's parameter form, generated from its step's JSON Schema (`schema-form.ts`). An unset
 * nullable field shows what applies instead ("use default"); a set one can be reset to it.
 */
import { useEffect, useId, useState } from "react";
import { Button, Field, Input, Select } from "@/components/ui";
import { formatParam, limitText, parseInput } from "./schema-form";
import type { FormField, ParamValue } from "./schema-form";
import { useTranslation } from "react-i18next";
import { i18n } from "@/i18n";

export interface ParamsFormProps {
  fields: FormField[];
  params: Record<string, unknown>;
  onChange?: (key: string, value: ParamValue | null) => void;
  /** The server's problems by parameter. */
  errors?: Record<string, string>;
}

interface FieldProps {
  field: FormField;
  value: unknown;
  onChange?: (value: ParamValue | null) => void;
  serverError?: string;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The field's description, its limits, and what applies while it is not set. */
function hintOf(field: FormField): string {
  const limits = limitText(field);
  const unset = field.nullable || !field.required ? field.defaultHint : null;
  return [field.help && capital(field.help), limits && capital(limits), unset && i18n.t("workflows:params.defaultHint", { value: unset })]
    .filter((part): part is string => Boolean(part))
    .map((part) => part.replace(/\.+$/, ""))
    .join(". ");
}

/** Number and text inputs keep what is typed until it parses; an undo from outside replaces it. */
function TextField({ field, value, onChange, serverError }: FieldProps) {
  const shown = value === undefined || value === null ? "" : String(value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((current) => {
      const parsed = parseInput(field, current);
      return parsed.ok && (parsed.value ?? "") === (value ?? "") ? current : shown;
    });
    setError(null);
  }, [field, value, shown]);
  const numeric = field.kind === "integer" || field.kind === "number";
  return (
    <Field label={field.label} hint={hintOf(field)} error={error ?? serverError}>
      <Input
        type={numeric ? "number" : "text"}
        inputMode={field.kind === "integer" ? "numeric" : numeric ? "decimal" : undefined}
        step={field.kind === "integer" ? 1 : "any"}
        min={field.minimum}
        max={field.maximum}
        maxLength={field.maxLength}
        value={text}
        placeholder={field.nullable || !field.required ? i18n.t("workflows:params.default") : undefined}
        readOnly={!onChange}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseInput(field, event.target.value);
          if (parsed.ok) {
            setError(null);
            onChange?.(parsed.value);
          } else {
            setError(parsed.error);
          }
        }}
      />
    </Field>
  );
}

function EnumField({ field, value, onChange, serverError }: FieldProps) {
  const unset = value === undefined || value === null;
  return (
    <Field label={field.label} hint={hintOf(field)} error={serverError}>
      <Select
        value={unset ? "" : String(value)}
        disabled={!onChange}
        onChange={(event) => {
          const parsed = parseInput(field, event.target.value);
          if (parsed.ok) onChange?.(parsed.value);
        }}
      >
        {(field.nullable || !field.required || unset) && <option value="">{i18n.t("workflows:params.default")}</option>}
        {field.options?.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** A checkbox; unset (nullable) it is indeterminate and says what applies. */
function BooleanField({ field, value, onChange, serverError }: FieldProps) {
  const id = useId();
  const unset = typeof value !== "boolean";
  return (
    <div className="ui-field wf-bool">
      <label className="wf-bool__label" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          disabled={!onChange}
          ref={(element) => {
            if (element) element.indeterminate = unset;
          }}
          onChange={() => onChange?.(unset ? true : !value)}
        />
        {field.label}
      </label>
      {serverError ? <span className="ui-field__error">{serverError}</span> : <span className="ui-field__hint">{hintOf(field)}</span>}
    </div>
  );
}

function FieldFor(props: FieldProps) {
  switch (props.field.kind) {
    case "integer":
    case "number":
    case "string":
      return <TextField {...props} />;
    case "enum":
      return <EnumField {...props} />;
    case "boolean":
      return <BooleanField {...props} />;
    default:
      return (
        <Field label={props.field.label} hint={i18n.t("workflows:params.notEditable")}>
          <Input value={formatParam(props.value)} readOnly />
        </Field>
      );
  }
}

export function ParamsForm({ fields, params, onChange, errors = {} }: ParamsFormProps) {
  const { t } = useTranslation("workflows");
  if (fields.length === 0) return <p className="wf-muted">{t("params.none")}</p>;
  return (
    <div className="wf-params">
      {fields.map((field) => {
        const value = params[field.key];
        const canReset = onChange && field.nullable && value !== undefined && value !== null;
        return (
          <div key={field.key} className="wf-params__row" data-param={field.key}>
            <FieldFor
              field={field}
              value={value}
              onChange={onChange ? (next) => onChange(field.key, next) : undefined}
              serverError={errors[field.key]}
            />
            {canReset && (
              <Button size="sm" variant="ghost" className="wf-params__reset" onClick={() => onChange(field.key, null)}>
                {t("params.useDefault")}
              </Button>
            )}
          </div>
        );
      })}
    </div>
  );
}
