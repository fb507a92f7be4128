"""Signals that accounts send, for the layers above (the audit log records them; accounts imports no audit)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the user as sender and: event (str: locked, unlocked, password_changed, password_reset,
# email_change_requested, email_changed, api_token_created, api_token_revoked, suspended, reinstated), actor (the
# user who did it, or None for the system) and data (a dict).
account_event = _signals.signal("account-event")

# Sent before sessions and API tokens are deleted (signing out, a new password, a lockout, a suspension, a
# deleted account, a revoked token), with session_ids and token_ids (lists of row ids): the live board closes the
# connections they opened once the change is committed (samen/meetings/signouts.py).
credentials_ending = _signals.signal("credentials-ending")
