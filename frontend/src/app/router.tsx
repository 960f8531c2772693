/**
 * The route tree (code-based). To add a page of a feature:
 *
 *   import { OrderDetailPage } from "@/features/orders/components/OrderDetailPage";
 *   const orderDetail = page("/orders/$orderId", OrderDetailPage, { anyOf: ["view_own_orders"] });
 *   …and add `orderDetail` to `appRoute.addChildren([...])` below.
 *
 * Pages under `appRoute` need a login and render inside the shell. `anyOf` sends users without
 * any of those permissions to the start page. A page reads its params without importing this
 * file: `getRouteApi("/_app/orders/$orderId").useParams()`.
 */
import type { QueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  Outlet,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  useRouter,
} from "@tanstack/react-router";
import type { RouteComponent } from "@tanstack/react-router";
import { lazy } from "react";
import { Button, EmptyState, Toaster } from "@/components/ui";
import { InvoiceDetailPage } from "@/features/billing/components/InvoiceDetailPage";
import { InvoicesPage } from "@/features/billing/components/InvoicesPage";
import { CadDetailPage } from "@/features/cad/components/CadDetailPage";
import { CadLibraryPage } from "@/features/cad/components/CadLibraryPage";
import { LoginPage } from "@/features/auth/components/LoginPage";
import { MediaPage } from "@/features/media/components/MediaPage";
import { parseMediaSearch } from "@/features/media/components/media-search";
import type { MediaSearch } from "@/features/media/components/media-search";
import { EditOrderPage } from "@/features/orders/components/EditOrderPage";
import { NewOrderPage } from "@/features/orders/components/NewOrderPage";
import { parseStep } from "@/features/orders/components/wizard-state";
import type { Step } from "@/features/orders/components/wizard-state";
import { OrderDetailPage } from "@/features/orders/components/OrderDetailPage";
import { OrdersPage } from "@/features/orders/components/OrdersPage";
import { MaterialsScreen, OutputTypesScreen } from "./catalog-screens";
import { PositionsPage } from "@/features/catalog/components/PositionsPage";
import { TemplatesPage } from "@/features/catalog/components/TemplatesPage";
import { WorkersPage } from "@/features/workers/components/WorkersPage";
import { AdminActionsPage } from "@/features/admin-actions/components/AdminActionsPage";
import { parseTab } from "@/features/notifications/components/center";
import type { Tab } from "@/features/notifications/components/center";
import { NotificationSettingsPage } from "@/features/notifications/components/NotificationSettingsPage";
import { NotificationsPage } from "@/features/notifications/components/NotificationsPage";
import { ImportDetailPage } from "@/features/products/components/ImportDetailPage";
import { LinkedProducts } from "@/features/products/components/LinkedProducts";
import { ProductDetailPage } from "@/features/products/components/ProductDetailPage";
import { ProductImportPage } from "@/features/products/components/ProductImportPage";
import { ProductsPage } from "@/features/products/components/ProductsPage";
import { SettingsPage } from "@/features/settings/components/SettingsPage";
import { TenantSettingsPage } from "@/features/settings/components/TenantSettingsPage";
import { ChangePasswordPage } from "@/features/people/components/ChangePasswordPage";
import { TenantsPage } from "@/features/people/components/TenantsPage";
import { UsersPage } from "@/features/people/components/UsersPage";
import { SubjectRunView } from "@/features/workflows/components/RunView";
import { WorkflowEditorPage } from "@/features/workflows/components/WorkflowEditorPage";
import { WorkflowsPage } from "@/features/workflows/components/WorkflowsPage";
import { ApiError, errorMessage } from "@/lib/api";
import { authStore } from "@/lib/auth";
import { hasPermissions } from "@/lib/permissions";
import type { Permission } from "@/lib/permissions";
import { meQueryOptions } from "@/lib/session";
import { navItemsFor } from "./shell/nav";
import { Shell } from "./shell/Shell";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <>
      <Outlet />
      <Toaster />
    </>
  ),
  errorComponent: function RouteError({ error }) {
    const router = useRouter();
    const { t } = useTranslation("shell");
    return (
      <div style={{ padding: 32 }}>
        <EmptyState
          title={t("routeError.title")}
          action={
            <Button variant="primary" onClick={() => void router.invalidate()}>
              {t("routeError.retry")}
            </Button>
          }
        >
          {errorMessage(error)}
        </EmptyState>
      </div>
    );
  },
  notFoundComponent: function NotFound() {
    const { t } = useTranslation("shell");
    return (
      <div style={{ padding: 32 }}>
        <EmptyState title={t("notFound.title")}>
          {t("notFound.body")} <a href="/">{t("notFound.home")}</a>.
        </EmptyState>
      </div>
    );
  },
});

/** Only same-site paths are followed after login (no open redirects). */
export function safeNext(next: unknown): string | undefined {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login")
    ? next
    : undefined;
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): { next?: string } => ({ next: safeNext(search.next) }),
  beforeLoad: ({ search }) => {
    if (authStore.isLoggedIn()) throw redirect({ href: search.next ?? "/" });
  },
  component: function LoginRoute() {
    const router = useRouter();
    const { next } = loginRoute.useSearch();
    return <LoginPage onLoggedIn={() => router.history.push(next ?? "/")} />;
  },
});

/**
 * After a login with a temporary password: the user sets their own before anything else (the API
 * refuses every other call with 403 password_change_required until then).
 */
const changePasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/change-password",
  beforeLoad: ({ location }) => {
    if (!authStore.isLoggedIn()) throw redirect({ to: "/login", search: { next: safeNext(location.href) } });
  },
  component: function ChangePasswordRoute() {
    const router = useRouter();
    return <ChangePasswordPage onChanged={() => router.history.push("/")} onLoggedOut={() => router.history.push("/login")} />;
  },
});

/** Every page after login: loads the session (GET /api/auth/me) into the route context. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_app",
  beforeLoad: async ({ context, location }) => {
    const toLogin = () => redirect({ to: "/login", search: { next: safeNext(location.href) } });
    if (!authStore.isLoggedIn()) throw toLogin();
    let me;
    try {
      me = await context.queryClient.ensureQueryData(meQueryOptions());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        authStore.clear();
        throw toLogin();
      }
      throw error;
    }
    if (me.must_change_password) throw redirect({ to: "/change-password" });
    return { me };
  },
  component: Shell,
});

/** Users without any of `anyOf` (when given) go to the start page. */
function requireAny(anyOf: Permission[]) {
  return ({ context }: { context: { me: { permissions: string[] } } }) => {
    if (anyOf.length > 0 && !anyOf.some((permission) => hasPermissions(context.me.permissions, permission))) {
      throw redirect({ to: "/" });
    }
  };
}

/** A page inside the shell, optionally only for users with any of `anyOf`. */
function page<TPath extends string>(path: TPath, component: RouteComponent, options: { anyOf?: Permission[] } = {}) {
  return createRoute({ getParentRoute: () => appRoute, path, component, beforeLoad: requireAny(options.anyOf ?? []) });
}

/** The order wizard's pages: the step is in the URL (`?step=2`), so Back and Refresh keep it. */
function wizardPage<TPath extends string>(path: TPath, component: RouteComponent, anyOf: Permission[]) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    component,
    validateSearch: (search: Record<string, unknown>): { step?: Step } => ({ step: parseStep(search.step) }),
    beforeLoad: requireAny(anyOf),
  });
}

/** The start page: the first section the user may open. */
const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  beforeLoad: ({ context }) => {
    const first = navItemsFor(context.me.permissions)[0];
    if (first) throw redirect({ to: first.to });
  },
  component: function NothingToShow() {
    const { t } = useTranslation("shell");
    return <EmptyState title={t("nothing.title")}>{t("nothing.body")}</EmptyState>;
  },
});

const cadRoute = page("/cad", CadLibraryPage, { anyOf: ["trigger_renders"] });
// Deleting a CAD file first lists the products linked to it; its processing run is drawn by the
// workflows' run view (features compose here).
const cadDetailRoute = page("/cad/$cadId", () => <CadDetailPage deleteNotice={LinkedProducts} processingRun={SubjectRunView} />, {
  anyOf: ["trigger_renders"],
});
const productsRoute = page("/products", ProductsPage);
const productImportRoute = page("/products/import", ProductImportPage, { anyOf: ["trigger_renders"] });
const productImportDetailRoute = page("/products/imports/$importId", () => <ImportDetailPage importRun={SubjectRunView} />, {
  anyOf: ["trigger_renders"],
});
const productDetailRoute = page("/products/$productId", ProductDetailPage);
const ordersRoute = page("/orders", OrdersPage, { anyOf: ["view_tenant_orders", "view_own_orders"] });
const newOrderRoute = wizardPage("/orders/new", NewOrderPage, ["create_own_orders"]);
const editOrderRoute = wizardPage("/orders/$orderId/edit", EditOrderPage, ["create_own_orders"]);
// A line's "Workflow" view is the workflows' run view (the page offers it to project managers and above).
const orderDetailRoute = page("/orders/$orderId", () => <OrderDetailPage lineRun={SubjectRunView} />, {
  anyOf: ["view_tenant_orders", "view_own_orders"],
});
// The media library: everyone who sees orders (clients: the media of their own). Its filters are the
// URL's search params; a GLB opens in the CAD library's 3D viewer (loaded with three.js on demand).
const CadViewer = lazy(() => import("@/features/cad/components/CadViewer"));
const NO_PARTS: never[] = [];
const MediaModelViewer = ({ glb }: { glb: ArrayBuffer }) => <CadViewer glb={glb} parts={NO_PARTS} />;
const mediaRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/media",
  component: () => <MediaPage viewer={MediaModelViewer} />,
  validateSearch: (search: Record<string, unknown>): MediaSearch => parseMediaSearch(search),
  beforeLoad: requireAny(["view_tenant_orders", "view_own_orders"]),
});
// Project managers read workflows; tenant admins and above change them (the pages tell them apart).
const workflowsRoute = page("/workflows", WorkflowsPage, { anyOf: ["trigger_renders"] });
const workflowRoute = page("/workflows/$workflowId", WorkflowEditorPage, { anyOf: ["trigger_renders"] });
// Which workflow each output type runs: tenant admins and above.
const outputTypesRoute = page("/output-types", OutputTypesScreen, { anyOf: ["manage_settings"] });
const materialsRoute = page("/materials", MaterialsScreen, { anyOf: ["view_materials"] });
const templatesRoute = page("/admin/templates", TemplatesPage, { anyOf: ["manage_output_types"] });
const positionsRoute = page("/admin/positions", PositionsPage, { anyOf: ["manage_output_types"] });
// The settings registry and the tenant's config: tenant admins and above (what each may change,
// the pages and the API tell apart).
const settingsRoute = page("/admin/settings", SettingsPage, { anyOf: ["manage_settings"] });
const tenantSettingsRoute = page("/admin/tenant", TenantSettingsPage, { anyOf: ["manage_settings"] });
// Maintenance actions run as tracked jobs: tenant and global admins.
const adminActionsRoute = page("/admin/actions", AdminActionsPage, { anyOf: ["run_admin_actions"] });
// The analytics page brings Apache ECharts: loaded when the page is opened, not with the app.
const analyticsRoute = page(
  "/analytics",
  lazyRouteComponent(() => import("@/features/analytics/components/AnalyticsPage"), "AnalyticsPage"),
  { anyOf: ["view_analytics"] },
);
// Users: tenant admins (their tenant) and global admins (every tenant); tenants: global admins.
const usersRoute = page("/admin/users", UsersPage, { anyOf: ["manage_tenant_users"] });
const tenantsRoute = page("/admin/tenants", TenantsPage, { anyOf: ["manage_tenants"] });
// The installation's workers and queues: global admins.
const workersRoute = page("/admin/workers", WorkersPage, { anyOf: ["manage_workers"] });
// Invoices and the price list: tenant admins manage, project managers read (the pages tell apart).
const invoicesRoute = page("/admin/invoices", InvoicesPage, { anyOf: ["view_invoices"] });
const invoiceRoute = page("/admin/invoices/$invoiceId", InvoiceDetailPage, { anyOf: ["view_invoices"] });
// Everyone: their notifications; the page shows Activity and Alerts by permission (`?tab=`).
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  component: NotificationsPage,
  validateSearch: (search: Record<string, unknown>): { tab?: Tab } => ({ tab: parseTab(search.tab) }),
});
const notificationSettingsRoute = page("/notifications/settings", NotificationSettingsPage);

const routeTree = rootRoute.addChildren([
  loginRoute,
  changePasswordRoute,
  appRoute.addChildren([indexRoute, cadRoute, cadDetailRoute, productsRoute, productImportRoute, productImportDetailRoute, productDetailRoute, ordersRoute, mediaRoute, newOrderRoute, editOrderRoute, orderDetailRoute, workflowsRoute, workflowRoute, outputTypesRoute, materialsRoute, templatesRoute, positionsRoute, settingsRoute, tenantSettingsRoute, adminActionsRoute, usersRoute, tenantsRoute, workersRoute, analyticsRoute, invoicesRoute, invoiceRoute, notificationsRoute, notificationSettingsRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
