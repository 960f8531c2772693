import { cloneElement, isValidElement, useId } from "react";
import type { LabelHTMLAttributes, ReactElement, ReactNode } from "react";
import { cx } from "./cx";

export function Label({ className, ...rest }: LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={cx("ui-label", className)} {...rest} />;
}

export interface FieldProps {
  label: ReactNode;
  /** One control (Input, Select, Textarea…); it gets the id, aria-describedby and aria-invalid. */
  children: ReactElement<Record<string, unknown>>;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
}

/** A label, one control, and a hint or an error below it, wired for screen readers. */
export function Field({ label, children, hint, error, className }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id,
        "aria-describedby": hint || error ? noteId : undefined,
        "aria-invalid": error ? true : undefined,
      })
    : children;
  return (
    <div className={cx("ui-field", className)}>
      <Label htmlFor={id}>{label}</Label>
      {control}
      {error ? (
        <span id={noteId} className="ui-field__error">
          {error}
        </span>
      ) : hint ? (
        <span id={noteId} className="ui-field__hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
