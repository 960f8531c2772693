import { useTranslation } from "react-i18next";
import { Badge, Button } from "@/components/ui";
import { useDisclosure } from "@/lib/disclosure";
import { LanguageSelect } from "./LanguageSelect";

/**
 * The user's own things behind one header button that shows their role: the e-mail they are
 * logged in with, the language of the UI and "Log out". One button instead of four keeps the
 * header on one row on a laptop screen (the navigation needs the room).
 */
export function AccountMenu({ email, role, onLogout }: { email: string; role: string; onLogout: () => void }) {
  const { t } = useTranslation("shell");
  const menu = useDisclosure();
  return (
    <div className="shell__menu shell__menu--end" ref={menu.root}>
      <button ref={menu.buttonRef} {...menu.toggleProps} className="shell__link shell__menu-button shell__account">
        <span className="sr-only">{t("account")}: </span>
        <Badge tone="info" data-testid="user-role">
          {role}
        </Badge>{" "}
        <span aria-hidden="true">▾</span>
      </button>
      <div {...menu.panelProps} className="shell__menu-panel shell__account-panel" role="group" aria-label={t("account")}>
        <span className="shell__email" data-testid="user-email" title={email}>
          {email}
        </span>
        <LanguageSelect />
        <Button variant="ghost" size="sm" onClick={onLogout}>
          {t("logout")}
        </Button>
      </div>
    </div>
  );
}
