"""The user-facing audit channels: notifications (per user or role), activity feed, alerts."""
