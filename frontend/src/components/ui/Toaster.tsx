import { useTranslation } from "react-i18next";
import { Button } from "./Button";
import { cx } from "./cx";
import { dismissToast, useToasts } from "./toast-store";

/** Renders the toasts of `toast(...)`; mounted once in the app root. */
export function Toaster() {
  const toasts = useToasts();
  const { t } = useTranslation("ui");
  return (
    <div className="ui-toaster" role="region" aria-label={t("toaster.region")} aria-live="polite">
      {toasts.map((item) => (
        <div key={item.id} className={cx("ui-toast", item.tone && `ui-toast--${item.tone}`)} data-tone={item.tone ?? "info"} role="status">
          <div className="ui-toast__text">
            <div className="ui-toast__title">{item.title}</div>
            {item.message && <div className="ui-toast__message">{item.message}</div>}
          </div>
          <Button variant="ghost" size="sm" aria-label={t("toaster.dismiss")} onClick={() => dismissToast(item.id)}>
            ×
          </Button>
        </div>
      ))}
    </div>
  );
}
