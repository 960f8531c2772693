import { cx } from "./cx";

export function Spinner({ size = "sm", label }: { size?: "sm" | "lg"; label?: string }) {
  return (
    <span
      className={cx("ui-spinner", size === "lg" && "ui-spinner--lg")}
      role={label ? "status" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    />
  );
}

/** A centred spinner for a whole page or panel that is loading. */
export function PageSpinner({ label = "Loading" }: { label?: string }) {
  return (
    <div style={{ display: "grid", placeItems: "center", padding: 48 }}>
      <Spinner size="lg" label={label} />
    </div>
  );
}
