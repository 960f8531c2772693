import { Link, useRouterState } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { NavItem } from "./nav";

/**
 * The administration screens behind one header button: a disclosure (button + list of links in a
 * `<nav aria-label="Administration">`). It closes on navigation, Escape (focus back to the button)
 * and a click outside. The button is marked current when one of its screens is open.
 */
export function AdminMenu({ items }: { items: NavItem[] }) {
  const { t } = useTranslation("shell");
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const path = useRouterState({ select: (state) => state.location.pathname });
  const current = items.some((item) => path === item.to || path.startsWith(`${item.to}/`));

  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (items.length === 0) return null;
  return (
    <div className="shell__menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="shell__link shell__menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        data-current={current || undefined}
        onClick={() => setOpen((was) => !was)}
      >
        {t("nav.admin")} <span aria-hidden="true">▾</span>
      </button>
      <nav id={panelId} className="shell__menu-panel" aria-label={t("nav.adminMenu")} hidden={!open}>
        {items.map((item) => (
          <Link key={item.to} to={item.to} className="shell__link" activeProps={{ "aria-current": "page" }}>
            {t(item.label)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
