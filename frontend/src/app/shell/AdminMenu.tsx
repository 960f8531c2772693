import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useDisclosure } from "@/lib/disclosure";
import type { NavItem } from "./nav";

/**
 * The administration screens behind one header button: a disclosure (button + list of links in a
 * `<nav aria-label="Administration">`). It closes on navigation, Escape (focus back to the button)
 * and a click outside. The button is marked current when one of its screens is open.
 */
export function AdminMenu({ items }: { items: NavItem[] }) {
  const { t } = useTranslation("shell");
  const menu = useDisclosure();
  const current = items.some((item) => menu.path === item.to || menu.path.startsWith(`${item.to}/`));

  if (items.length === 0) return null;
  return (
    <div className="shell__menu" ref={menu.root}>
      <button ref={menu.buttonRef} {...menu.toggleProps} className="shell__link shell__menu-button" data-current={current || undefined}>
        {t("nav.admin")} <span aria-hidden="true">▾</span>
      </button>
      <nav {...menu.panelProps} className="shell__menu-panel" aria-label={t("nav.adminMenu")}>
        {items.map((item) => (
          <Link key={item.to} to={item.to} className="shell__link" activeProps={{ "aria-current": "page" }}>
            {t(item.label)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
