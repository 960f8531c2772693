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
  TAB_LABELS,
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

const route = getRouteApi("/_app/notifications");

/**
 * The notification center: the user's notifications (everyone), the tenant's activity (project
 * managers and above) and its alerts (tenant admins and above), one tab each, the tab in the URL.
 */
export function NotificationsPage() {
  const me = useMe().data;
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tabs = tabsFor(me?.permissions);
  const tab = currentTab(search.tab, tabs);

  return (
    <>
      <PageHeader
        title="Notifications"
        description="What happened to your orders, imports and files; older entries load on request."
        actions={
          <Link to="/notifications/settings" className="ui-button ui-button--secondary ui-button--sm">
            Notification settings
          </Link>
        }
      />
      <div className="nc-tabs" role="tablist" aria-label="Channels">
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
            {TAB_LABELS[name]}
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
  return (
    <div className="nc-filters" role="group" aria-label="Filters">
      {children}
      <Field label="Type">
        <Select value={filters.action} onChange={(event) => onChange({ ...filters, action: event.target.value })}>
          <option value="">All types</option>
          {actions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="From">
        <Input type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => onChange({ ...filters, from: event.target.value })} />
      </Field>
      <Field label="To">
        <Input type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => onChange({ ...filters, to: event.target.value })} />
      </Field>
      {unread && (
        <label className="nc-check">
          <input
            type="checkbox"
            checked={filters.unreadOnly}
            onChange={(event) => onChange({ ...filters, unreadOnly: event.target.checked })}
          />
          Unread only
        </label>
      )}
      {isFiltered(filters) && (
        <Button size="sm" variant="ghost" onClick={() => onChange({ ...NO_FILTERS })}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

function NotificationsTab() {
  const feed = useNotificationFeed();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);

  if (feed.isPending) return <Spinner label="Loading notifications" />;
  if (feed.isError) return <Alert>{errorMessage(feed.error)}</Alert>;

  const loaded = allItems(feed.data);
  const unread = feed.data.pages[0]?.unread_count ?? 0;
  const shown = loaded.filter((item) => matches(item, filters));
  const hasNext = feed.hasNextPage && olderCanMatch(loaded.at(-1)?.created_at, filters);

  return (
    <Card
      title={`Notifications${unread ? ` · ${unread} unread` : ""}`}
      flush
      actions={
        <Button size="sm" variant="ghost" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          Mark all read
        </Button>
      }
    >
      <FilterBar filters={filters} onChange={setFilters} actions={actionOptions(loaded, filters.action)} unread />
      {loaded.length === 0 ? (
        <EmptyState title="Nothing yet">Updates about your orders and imports show up here.</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="None match the filters">{hasNext ? "Older entries may: load more." : "Try other filters."}</EmptyState>
      ) : (
        <ul className="nc-list" aria-label="Notifications">
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
      <span className="nc-dot" aria-label={item.read ? undefined : "unread"} />
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
            {digestMore(item, digest.length) > 0 && <li className="muted">and {digestMore(item, digest.length)} more</li>}
          </ul>
        )}
        <div className="nc-meta">
          <Badge tone={item.action === "notification.digest" ? "info" : "neutral"}>{actionLabel(item.action)}</Badge>
          <time dateTime={item.created_at} title={new Date(item.created_at).toLocaleString()}>
            {relativeTime(item.created_at)}
          </time>
        </div>
      </div>
      {!item.read && (
        <Button size="sm" variant="ghost" onClick={onRead} aria-label={`Mark read: ${item.message}`}>
          Mark read
        </Button>
      )}
    </li>
  );
}

const SUBJECTS = [
  { value: "", label: "Everything" },
  { value: "order", label: "Orders" },
  { value: "order_line", label: "Order lines" },
  { value: "cad_file", label: "CAD files" },
  { value: "product", label: "Products" },
  { value: "product_import", label: "Product imports" },
];

/** The activity feed or the alerts: who did what, newest first, older on request. */
function FeedTab({ kind }: { kind: "activity" | "alerts" }) {
  const [targetType, setTargetType] = useState("");
  const activity = useActivity(targetType, kind === "activity");
  const alerts = useAlerts(kind === "alerts");
  const feed = kind === "activity" ? activity : alerts;
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const title = kind === "activity" ? "Activity" : "Alerts";

  const loaded: FeedEntry[] = allItems(feed.data);
  const shown = loaded.filter((entry) => matches(entry, filters));
  const hasNext = feed.hasNextPage && olderCanMatch(loaded.at(-1)?.created_at, filters);

  return (
    <Card title={title} flush>
      <FilterBar filters={filters} onChange={setFilters} actions={actionOptions(loaded, filters.action)} unread={false}>
        {kind === "activity" && (
          <Field label="About">
            <Select value={targetType} onChange={(event) => setTargetType(event.target.value)}>
              {SUBJECTS.map((subject) => (
                <option key={subject.value} value={subject.value}>
                  {subject.label}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </FilterBar>
      {feed.isPending ? (
        <Spinner label={`Loading ${title.toLowerCase()}`} />
      ) : feed.isError ? (
        <Alert>{errorMessage(feed.error)}</Alert>
      ) : shown.length === 0 ? (
        <EmptyState title={loaded.length === 0 ? (kind === "alerts" ? "No alerts" : "No activity yet") : "None match the filters"} />
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
                    <time dateTime={entry.created_at} title={new Date(entry.created_at).toLocaleString()}>
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
