import type { ReactNode } from "react";

/** A message in the flow of the page: errors (danger), warnings, notes (info). */
export function Alert({ tone = "danger", children }: { tone?: "danger" | "warning" | "info"; children: ReactNode }) {
  return (
    <div className={`ui-alert ui-alert--${tone}`} role={tone === "danger" ? "alert" : "status"}>
      {children}
    </div>
  );
}
