import type { ReactNode } from "react";
import { useId } from "react";
import { Button } from "./Button";
import type { ButtonProps } from "./Button";

export interface DisabledActionProps {
  /** Why the action cannot be taken now, shown beside it (e.g. "Pick a tenant to order"). */
  reason: string;
  children: ReactNode;
  variant?: ButtonProps["variant"];
}

/** An action that cannot be taken now: a disabled button with the reason beside it (and read with it). */
export function DisabledAction({ reason, children, variant = "primary" }: DisabledActionProps) {
  const id = useId();
  return (
    <span className="ui-disabled-action">
      <span id={id} className="ui-disabled-action__reason">
        {reason}
      </span>
      <Button variant={variant} disabled aria-describedby={id} title={reason}>
        {children}
      </Button>
    </span>
  );
}
