import { Button } from "./Button";
import { cx } from "./cx";
import { dismissToast, useToasts } from "./toast-store";

/** Renders the toasts of `toast(...)`; mounted once in the app root. */
export function Toaster() {
  const toasts = useToasts();
  return (
    <div className="ui-toaster" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((item) => (
        <div key={item.id} className={cx("ui-toast", item.tone && `ui-toast--${item.tone}`)} data-tone={item.tone ?? "info"} role="status">
          <div className="ui-toast__text">
            <div className="ui-toast__title">{item.title}</div>
            {item.message && <div className="ui-toast__message">{item.message}</div>}
          </div>
          <Button variant="ghost" size="sm" aria-label="Dismiss" onClick={() => dismissToast(item.id)}>
            ×
          </Button>
        </div>
      ))}
    </div>
  );
}
