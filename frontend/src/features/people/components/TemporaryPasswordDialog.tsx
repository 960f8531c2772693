import { useState } from "react";
import { useTranslation } from "react-i18next";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { Button, Dialog } from "@/components/ui";

export interface TemporaryPasswordDialogProps {
  /** What happened ("x can now log in…"), above the password. */
  message: string;
  password: string;
  onClose: () => void;
  /** Below the password (e.g. how to switch into a new tenant). */
  children?: React.ReactNode;
}

/** A temporary password, shown once, with a Copy button. Nothing keeps it after the dialog closes. */
export function TemporaryPasswordDialog({ message, password, onClose, children }: TemporaryPasswordDialogProps) {
  const { t } = useTranslation("people");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin): the password is selectable text.
      const node = document.querySelector<HTMLElement>("[data-testid='temporary-password']");
      if (node) window.getSelection()?.selectAllChildren(node);
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={
        <>
          {t("temporary.title")} <HelpTooltip entry="user.temporary_password" />
        </>
      }
      footer={
        <Button variant="primary" onClick={onClose}>
          {t("temporary.done")}
        </Button>
      }
    >
      <p>{message}</p>
      <p className="people-password">
        <code data-testid="temporary-password">{password}</code>
        <Button size="sm" onClick={() => void copy()}>
          {copied ? t("temporary.copied") : t("temporary.copy")}
        </Button>
      </p>
      <p className="muted">{t("temporary.shownOnce")}</p>
      {children}
    </Dialog>
  );
}
