import { useTranslation } from "react-i18next";
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
export function PageSpinner({ label }: { label?: string }) {
  const { t } = useTranslation("ui");
  return (
    <div style={{ display: "grid", placeItems: "center", padding: 48 }}>
      <Spinner size="lg" label={label ?? t("loading")} />
    </div>
  );
}
