import { Link, getRouteApi, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import type { MouseEvent, ReactNode } from "react";
import { Alert, Badge, Button, Card, EmptyState, Field, Input, LoadMore, PageHeader, Select, Spinner, cx } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useMe } from "@/lib/session";
import { useActivity, useAlerts, useNotificationFeed } from "../api/feeds";
import type { FeedEntry } from "../api/feeds";
import type { NotificationItem } from "../api/list-notifications";
import { useMarkAllRead } from "../api/mark-all-read";
import { useMarkRead } from "../api/mark-read";
import { relativeTime } from "./bell";
import {
  NO_FILTERS,
  tabLabel,
  actionLabel,
  actionOptions,
  currentTab,
  digestItems,
  digestMore,
  isFiltered,
  matches,
  olderCanMatch,
  subjectPath,
  tabsFor,
} from "./center";
import type { Filters } from "./center";
import "./notifications.css";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";

const route = getRouteApi("/_app/notifications");

/**
 * The notification center: the user's notifications (everyone), the tenant's activity (project
 * managers and above) and its alerts (tenant admins and above), one tab each, the tab in the URL.
 */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const me = useMe().data;
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tabs = tabsFor(me?.permissions);
  const tab = currentTab(search.tab, tabs);

  return (
    <>
      <PageHeader
        title={t("page.title")}
        description={t("page.description")}
        actions={
          <Link to="/notifications/settings" className="ui-button ui-button--secondary ui-button--sm">
            {t("page.settings")}
          </Link>
        }
      />
      <div className="nc-tabs" role="tablist" aria-label={t("page.channels")}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`nc-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`nc-panel-${name}`}
            className={cx("nc-tabs__tab", tab === name && "nc-tabs__tab--current")}
            onClick={() => void navigate({ search: { tab: name === "notifications" ? undefined : name }, replace: true })}
          >
            {tabLabel(name)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`nc-panel-${tab}`} aria-labelledby={`nc-tab-${tab}`}>
        {tab === "notifications" && <NotificationsTab />}
        {tab === "activity" && <FeedTab kind="activity" />}
        {tab === "alerts" && <FeedTab kind="alerts" />}
      </div>
    </>
  );
}

/** An in-app link that also does something first (mark read); new tabs and modified clicks work as links do. */
function AppLink({ path, onOpen, children }: { path: string; onOpen?: () => void; children: ReactNode }) {
  const router = useRouter();
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onOpen?.();
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.history.push(path);
  };
  return (
    <a href={path} onClick={click} className="nc-link">
      {children}
    </a>
  );
}

function FilterBar({
  filters,
  onChange,
  actions,
  unread,
  children,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  actions: Array<{ value: string; label: string }>;
  unread: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation("notifications");
  return (
    <div className="nc-filters" role="group" aria-label={t("page.filters")}>
      {children}
      <Field label={t("page.type")}>
        <Select value={filters.action} onChange={(event) => onChange({ ...filters, action: event.target.value })}>
          <option value="">{t("page.allTypes")}</option>
          {actions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("page.from")}>
        <Input type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => onChange({ ...filters, from: event.target.value })} />
      </Field>
      <Field label={t("page.to")}>
        <Input type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => onChange({ ...filters, to: event.target.value })} />
      </Field>
      {unread && (
        <label className="nc-check">
          <input
            type="checkbox"
            checked={filters.unreadOnly}
            onChange={(event) => onChange({ ...filters, unreadOnly: event.target.checked })}
          />
          {t("page.unreadOnly")}
        </label>
      )}
      {isFiltered(filters) && (
        <Button size="sm" variant="ghost" onClick={() => onChange({ ...NO_FILTERS })}>
          {t("page.clear")}
        </Button>
      )}
    </div>
  );
}

function NotificationsTab() {
  const { t } = useTranslation("notifications");
  const feed = useNotificationFeed();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);

  if (feed.isPending) return <Spinner label={t("page.loading")} />;
  if (feed.isError) return <Alert>{errorMessage(feed.error)}</Alert>;

  const loaded = allItems(feed.data);
  const unread = feed.data.pages[0]?.unread_count ?? 0;
  const shown = loaded.filter((item) => matches(item, filters));
  const hasNext = feed.hasNextPage && olderCanMatch(loaded.at(-1)?.created_at, filters);

  return (
    <Card
      title={unread ? t("page.cardUnread", { count: unread }) : t("page.title")}
      flush
      actions={
        <Button size="sm" variant="ghost" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          {t("page.markAll")}
        </Button>
      }
    >
      <FilterBar filters={filters} onChange={setFilters} actions={actionOptions(loaded, filters.action)} unread />
      {loaded.length === 0 ? (
        <EmptyState title={t("page.nothing")}>{t("page.nothingBody")}</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title={t("page.noneMatch")}>{hasNext ? t("page.olderMay") : t("page.tryOther")}</EmptyState>
      ) : (
        <ul className="nc-list" aria-label={t("page.list")}>
          {shown.map((item) => (
            <NotificationRow key={item.id} item={item} onRead={() => markRead.mutate(item.id)} />
          ))}
        </ul>
      )}
      <LoadMore
        shown={loaded.length}
        {...totalOf(feed.data)}
        hasNext={hasNext}
        loading={feed.isFetchingNextPage}
        onMore={() => void feed.fetchNextPage()}
      />
    </Card>
  );
}

function NotificationRow({ item, onRead }: { item: NotificationItem; onRead: () => void }) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const path = subjectPath(item);
  const digest = digestItems(item);
  const open = item.read ? undefined : onRead;
  return (
    <li
      className={cx("nc-item", !item.read && "nc-item--unread")}
      data-testid="notification-row"
      data-read={item.read}
      data-action={item.action}
    >
      <span className="nc-dot" aria-label={item.read ? undefined : t("page.unread")} />
      <div className="nc-body">
        <div className="nc-message">
          {path ? (
            <AppLink path={path} onOpen={open}>
              {item.message}
            </AppLink>
          ) : (
            item.message
          )}
        </div>
        {digest && digest.length > 0 && (
          <ul className="nc-digest" data-testid="digest-items">
            {digest.map((entry, index) => (
              <li key={index}>
                {entry.path ? (
                  <AppLink path={entry.path} onOpen={open}>
                    {entry.message}
                  </AppLink>
                ) : (
                  entry.message
                )}
              </li>
            ))}
            {digestMore(item, digest.length) > 0 && <li className="muted">{t("page.more", { count: digestMore(item, digest.length) })}</li>}
          </ul>
        )}
        <div className="nc-meta">
          <Badge tone={item.action === "notification.digest" ? "info" : "neutral"}>{actionLabel(item.action)}</Badge>
          <time dateTime={item.created_at} title={format.dateTime(item.created_at)}>
            {relativeTime(item.created_at)}
          </time>
        </div>
      </div>
      {!item.read && (
        <Button size="sm" variant="ghost" onClick={onRead} aria-label={t("page.markReadLabel", { message: item.message })}>
          {t("page.markRead")}
        </Button>
      )}
    </li>
  );
}

const SUBJECTS = ["", "order", "order_line", "cad_file", "product", "product_import"] as const;

/** The activity feed or the alerts: who did what, newest first, older on request. */
function FeedTab({ kind }: { kind: "activity" | "alerts" }) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const [targetType, setTargetType] = useState("");
  const activity = useActivity(targetType, kind === "activity");
  const alerts = useAlerts(kind === "alerts");
  const feed = kind === "activity" ? activity : alerts;
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const title = kind === "activity" ? t("page.activity") : t("page.alerts");

  const loaded: FeedEntry[] = allItems(feed.data);
  const shown = loaded.filter((entry) => matches(entry, filters));
  const hasNext = feed.hasNextPage && olderCanMatch(loaded.at(-1)?.created_at, filters);

  return (
    <Card title={title} flush>
      <FilterBar filters={filters} onChange={setFilters} actions={actionOptions(loaded, filters.action)} unread={false}>
        {kind === "activity" && (
          <Field label={t("page.about")}>
            <Select value={targetType} onChange={(event) => setTargetType(event.target.value)}>
              {SUBJECTS.map((subject) => (
                <option key={subject} value={subject}>
                  {t(`page.subjects.${subject || "all"}`)}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </FilterBar>
      {feed.isPending ? (
        <Spinner label={kind === "activity" ? t("page.loadingFeed_activity") : t("page.loadingFeed_alerts")} />
      ) : feed.isError ? (
        <Alert>{errorMessage(feed.error)}</Alert>
      ) : shown.length === 0 ? (
        <EmptyState title={loaded.length === 0 ? (kind === "alerts" ? t("page.noAlerts") : t("page.noActivity")) : t("page.noneMatch")} />
      ) : (
        <ul className="nc-list" aria-label={title}>
          {shown.map((entry) => {
            const path = subjectPath(entry);
            return (
              <li key={entry.id} className={cx("nc-item", kind === "alerts" && "nc-item--alert")} data-testid={`${kind}-row`} data-action={entry.action}>
                <div className="nc-body">
                  <div className="nc-message">{path ? <AppLink path={path}>{entry.message}</AppLink> : entry.message}</div>
                  <div className="nc-meta">
                    <Badge tone={kind === "alerts" ? "danger" : "neutral"}>{actionLabel(entry.action)}</Badge>
                    {entry.actor_name && <span>{entry.actor_name}</span>}
                    <time dateTime={entry.created_at} title={format.dateTime(entry.created_at)}>
                      {relativeTime(entry.created_at)}
                    </time>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {feed.data && (
        <LoadMore
          shown={loaded.length}
          {...totalOf(feed.data)}
          hasNext={hasNext}
          loading={feed.isFetchingNextPage}
          onMore={() => void feed.fetchNextPage()}
        />
      )}
    </Card>
  );
}
