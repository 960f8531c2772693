import { useTranslation } from "react-i18next";
import { Alert, Button, Dialog } from "@/components/ui";

export interface ConfirmDialogProps {
  title: string;
  body: string;
  confirm: string;
  busy: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Really?" before an action that logs people out. */
export function ConfirmDialog({ title, body, confirm, busy, error, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useTranslation("common");
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>{t("cancel")}</Button>
          <Button variant="danger" loading={busy} onClick={onConfirm}>
            {confirm}
          </Button>
        </>
      }
    >
      <p>{body}</p>
      {error && <Alert>{error}</Alert>}
    </Dialog>
  );
}
