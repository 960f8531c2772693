import { Button } from "@/components/ui";

/**
 * The bell in the header. Placeholder of the foundation: the notifications feature gives it the
 * unread count (GET /api/notifications), a list, and a toast on new ones (live events).
 */
export function NotificationBell() {
  return (
    <Button variant="ghost" size="sm" aria-label="Notifications" title="Notifications">
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinejoin="round" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
      </svg>
    </Button>
  );
}
