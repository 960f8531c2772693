import { useQueryClient } from "@tanstack/react-query";
import { Link, useRouter } from "@tanstack/react-router";
import { useCallback, useRef } from "react";
import { Button, Spinner, cx, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useDisclosure } from "@/lib/disclosure";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent } from "@/lib/ws";
import { useNotifications } from "../api/list-notifications";
import type { NotificationItem } from "../api/list-notifications";
import { useMarkAllRead } from "../api/mark-all-read";
import { useMarkRead } from "../api/mark-read";
import { useUnreadCount } from "../api/unread-count";
import { badgeText, isFreshNotification, relativeTime, toastTitle, toastTone } from "./bell";
import { subjectPath } from "./center";
import "./notifications.css";
import { useTranslation } from "react-i18next";

/**
 * The bell in the header: the unread count, the latest notifications (a click marks one read and
 * opens what it is about), "mark all read", links to the Notifications page and its settings, and a
 * toast when one arrives over the live socket.
 */
export function NotificationBell() {
  const menu = useDisclosure();
  const unread = useUnreadCount();
  const queryClient = useQueryClient();
  const seen = useRef(new Set<number>());

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (!isFreshNotification(event, seen.current)) return;
      void queryClient.invalidateQueries({ queryKey: ["notifications"] });
      const action = typeof event.action === "string" ? event.action : "";
      const message = typeof event.message === "string" ? event.message : "";
      toast({ title: toastTitle(action), message, tone: toastTone(action, message), durationMs: 8000 });
    },
    [queryClient],
  );
  useLiveEvents(onEvent);

  const { t } = useTranslation("notifications");
  const badge = badgeText(unread.data);
  return (
    <div className="bell" ref={menu.root}>
      <Button
        variant="ghost"
        size="sm"
        aria-label={badge ? t("bell.unread", { count: unread.data }) : t("bell.label")}
        title={t("bell.title")}
        {...menu.toggleProps}
        className="bell__button"
      >
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinejoin="round" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
        </svg>
        {badge && (
          <span className="bell__badge" data-testid="unread-count">
            {badge}
          </span>
        )}
      </Button>
      {menu.open && <NotificationPanel id={menu.panelProps.id} onClose={menu.close} />}
    </div>
  );
}

function NotificationPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation("notifications");
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const router = useRouter();
  const unread = list.data?.unread_count ?? 0;

  const openItem = (item: NotificationItem) => {
    if (!item.read) markRead.mutate(item.id);
    const path = subjectPath(item);
    if (path) {
      onClose();
      router.history.push(path);
    }
  };

  return (
    <div className="bell__panel" id={id} role="dialog" aria-label={t("bell.label")}>
      <div className="bell__head">
        <strong>{t("bell.heading")}</strong>
        <Button size="sm" variant="ghost" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          {t("bell.markAll")}
        </Button>
      </div>
      {list.isPending && (
        <div className="bell__state">
          <Spinner label={t("bell.loading")} />
        </div>
      )}
      {list.isError && <div className="bell__state bell__state--error">{errorMessage(list.error)}</div>}
      {list.data && list.data.items.length === 0 && <div className="bell__state">{t("bell.empty")}</div>}
      {list.data && list.data.items.length > 0 && (
        <ul className="bell__list">
          {list.data.items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className={cx("bell__item", !item.read && "bell__item--unread")}
                onClick={() => openItem(item)}
                data-testid="notification"
                data-read={item.read}
              >
                <span className="bell__dot" aria-label={item.read ? undefined : t("bell.unreadDot")} />
                <span className="bell__text">
                  <span className="bell__message">{item.message}</span>
                  <span className="bell__time">{relativeTime(item.created_at)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="bell__foot">
        <Link to="/notifications" onClick={onClose}>
          {t("bell.all")}
        </Link>
        <Link to="/notifications/settings" onClick={onClose}>
          {t("bell.settings")}
        </Link>
      </div>
    </div>
  );
}
