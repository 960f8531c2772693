import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { Fragment, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { PageSpinner } from "@/components/ui";
import { NotificationBell } from "@/features/notifications/components/NotificationBell";
import { useTokens } from "@/lib/auth";
import { ROLE_LABELS } from "@/lib/permissions";
import type { Role } from "@/lib/permissions";
import { useStoredLanguage } from "@/lib/language";
import { useLogout, useMe, useTenantView } from "@/lib/session";
import { AccountMenu } from "./AccountMenu";
import { AdminMenu } from "./AdminMenu";
import { navItemsFor } from "./nav";
import { tenantAction } from "./tenant-picker";
import { TenantNeeded, TenantPicker } from "./TenantPicker";
import "./shell.css";

/**
 * The frame of every page after login: header (tenant, navigation, Admin menu, bell, and the
 * account menu with e-mail, role, language and logout). The UI takes the user's stored language
 * as soon as the session is loaded.
 */
export function Shell() {
  const { t } = useTranslation("shell");
  const me = useMe().data;
  const tokens = useTokens();
  const logout = useLogout();
  const navigate = useNavigate();
  const path = useRouterState({ select: (state) => state.location.pathname });
  const { canPick, overview, tenantId } = useTenantView();
  useStoredLanguage(me);

  // Logged out here, in another tab, or by a refused refresh: back to the login page.
  useEffect(() => {
    if (!tokens) void navigate({ to: "/login", search: { next: path } });
  }, [tokens, navigate, path]);

  if (!me) return <PageSpinner />;
  const items = navItemsFor(me.permissions, "main");
  const adminItems = navItemsFor(me.permissions, "admin");
  const blockedAction = overview ? tenantAction(path) : null;

  return (
    <div className="shell">
      <header className="shell__header">
        <Link to="/" className="shell__brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          Automat
        </Link>
        <span className="shell__tenant" data-testid="tenant">
          {canPick ? (
            <TenantPicker />
          ) : me.tenant ? (
            <span className="shell__tenant-name" title={`${me.tenant.name} (${me.tenant.slug})`}>
              {me.tenant.name} <span className="shell__slug">{me.tenant.slug}</span>
            </span>
          ) : (
            t("allTenants")
          )}
        </span>
        <div className="shell__sections">
          <nav className="shell__nav" aria-label={t("nav.main")}>
            {items.map((item) => (
              <Link key={item.to} to={item.to} className="shell__link" activeProps={{ "aria-current": "page" }}>
                {t(item.label)}
              </Link>
            ))}
          </nav>
          <AdminMenu items={adminItems} />
        </div>
        <div className="shell__user">
          <NotificationBell />
          <AccountMenu email={me.email} role={ROLE_LABELS[me.role as Role] ?? me.role} onLogout={logout} />
        </div>
      </header>
      <main className="shell__main">
        {/* A global admin's switch of tenant starts the page afresh: nothing of the tenant before stays. */}
        <Fragment key={canPick ? (tenantId ?? "all") : "own"}>
          {blockedAction ? <TenantNeeded action={blockedAction} /> : <Outlet />}
        </Fragment>
      </main>
    </div>
  );
}
