/**
 * "Reset to defaults" for the aliases: the dialog first shows what a reset would do (the preview
 * endpoint: defaults that get their shipped material and priority back, deleted ones that come
 * back, aliases removed) and changes nothing until it is confirmed. The defaults are the ones new
 * tenants and the demo get (`DEFAULT_ALIASES`).
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Dialog, Spinner, toast } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { useResetDefaults, useResetPreview } from "../api/catalog";
import "./catalog.css";

export function ResetDefaults() {
  const { t } = useTranslation("catalog");
  const [open, setOpen] = useState(false);
  const [removeCustom, setRemoveCustom] = useState(false);
  const preview = useResetPreview(removeCustom, open);
  const reset = useResetDefaults();
  const close = () => {
    setOpen(false);
    reset.reset();
  };
  const plan = preview.data;
  const nothing = plan && plan.removed.length + plan.restored.length + plan.added.length === 0;

  return (
    <>
      <span className="cat-label">
        <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
          {t("reset.open")}
        </Button>
        <HelpTooltip entry="action.reset_default_aliases" />
      </span>
      <Dialog
        open={open}
        onClose={close}
        title={t("reset.title")}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common:cancel")}
            </Button>
            <Button
              variant="danger"
              loading={reset.isPending}
              disabled={!plan || nothing}
              onClick={() =>
                reset.mutate(removeCustom, {
                  onSuccess: () => {
                    toast({ title: t("reset.done"), tone: "success" });
                    close();
                  },
                })
              }
            >
              {t("reset.confirm")}
            </Button>
          </>
        }
      >
        <p>{t("reset.intro")}</p>
        <label className="cat-check">
          <input type="checkbox" checked={removeCustom} onChange={(event) => setRemoveCustom(event.target.checked)} />
          {t("reset.removeCustom")}
        </label>
        {preview.isPending ? (
          <Spinner label={t("reset.loading")} />
        ) : preview.isError ? (
          <Alert>{errorMessage(preview.error)}</Alert>
        ) : nothing ? (
          <p data-testid="reset-nothing">{t("reset.nothing")}</p>
        ) : plan ? (
          <div data-testid="reset-preview">
            {plan.restored.length > 0 && (
              <>
                <h3>{t("reset.restored", { count: plan.restored.length })}</h3>
                <ul className="cat-diff">
                  {plan.restored.map((c) => (
                    <li key={c.alias.id}>
                      <code>{c.alias.pattern}</code>:{" "}
                      {t("reset.change", { material: c.alias.material, priority: c.alias.priority, newMaterial: c.after.material, newPriority: c.after.priority })}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {plan.added.length > 0 && (
              <>
                <h3>{t("reset.added", { count: plan.added.length })}</h3>
                <ul className="cat-diff">
                  {plan.added.map((a) => (
                    <li key={`${a.kind}:${a.pattern}`}>
                      <code>{a.pattern}</code> → {a.material}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {plan.removed.length > 0 && (
              <>
                <h3>{t("reset.removed", { count: plan.removed.length })}</h3>
                <ul className="cat-diff">
                  {plan.removed.map((a) => (
                    <li key={a.id}>
                      <code>{a.pattern}</code> → {a.material}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted">{t("reset.unchanged", { count: plan.unchanged })}</p>
          </div>
        ) : null}
        {reset.isError && <Alert>{errorMessage(reset.error)}</Alert>}
      </Dialog>
    </>
  );
}
