import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Button, Dialog, Field, Input } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCopyWorkflow } from "../api/workflows";
import type { Workflow } from "../api/workflows";
import { useTranslation } from "react-i18next";

/** Copy a workflow (a built-in, usually) into the tenant under a new name, then open the copy. */
export function CopyDialog({ source, onClose }: { source: Workflow | null; onClose: () => void }) {
  const { t } = useTranslation("workflows");
  const navigate = useNavigate();
  const copy = useCopyWorkflow();
  const [name, setName] = useState<string | null>(null);
  const shown = name ?? (source ? t("copy.defaultName", { name: source.name }) : "");
  const close = () => {
    copy.reset();
    setName(null);
    onClose();
  };
  const submit = () => {
    if (!source) return;
    copy.mutate(
      { workflowId: source.id, name: shown.trim() },
      {
        onSuccess: (created) => {
          close();
          void navigate({ to: "/workflows/$workflowId", params: { workflowId: created.id } });
        },
      },
    );
  };
  return (
    <Dialog
      open={source !== null}
      onClose={close}
      title={t("copy.title", { name: source?.name ?? "" })}
      footer={
        <>
          <Button onClick={close}>{t("common:cancel")}</Button>
          <Button variant="primary" onClick={submit} loading={copy.isPending} disabled={!shown.trim()}>
            {t("copy.submit")}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Field label={t("copy.name")} hint={t("copy.hint")}>
          <Input value={shown} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </Field>
      </form>
      {copy.error && <Alert>{errorMessage(copy.error)}</Alert>}
    </Dialog>
  );
}
