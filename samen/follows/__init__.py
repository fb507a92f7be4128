"""Following ideas, action items, think tanks and the plan, and being told (docs/notifications.md)."""
