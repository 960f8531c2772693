import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  /** A button or link that gets the user going. */
  action?: ReactNode;
  icon?: ReactNode;
}

export function EmptyState({ title, children, action, icon }: EmptyStateProps) {
  return (
    <div className="ui-empty">
      {icon}
      <h2 className="ui-empty__title">{title}</h2>
      {children && <div className="ui-empty__body">{children}</div>}
      {action}
    </div>
  );
}
