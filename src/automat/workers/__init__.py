"""The installation's workers as operators see them: heartbeats, queues, metrics (issue 17)."""
