"""Signals that accounts send, for the layers above (the audit log records them; accounts imports no audit)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the user as sender and: event (str: locked, unlocked, password_changed, password_reset,
# email_change_requested, email_changed), actor (the user who did it, or None for the system) and data (a dict).
account_event = _signals.signal("account-event")
