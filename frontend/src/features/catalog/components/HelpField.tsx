import { cloneElement, isValidElement, useId } from "react";
import type { ReactElement, ReactNode } from "react";
import { Label } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";

/** A labelled control with the help registry's entry beside the label (outside it, so the help
 * button is not part of the control's name). */
export function HelpField({ label, help, children }: { label: ReactNode; help: string; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  return (
    <div className="ui-field">
      <span className="cat-label">
        <Label htmlFor={id}>{label}</Label>
        <HelpTooltip entry={help} />
      </span>
      {isValidElement(children) ? cloneElement(children, { id }) : children}
    </div>
  );
}
