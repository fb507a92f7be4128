"""Signals about personal data that other features can listen to.

`account_deleted` is sent once the deletion of an account is committed, with the deleted user's id as the
sender::

    from samen.privacy.signals import account_deleted

    @account_deleted.connect
    def forget(user_id, **_extra):
        ...  # what the database does not hold about this user

Sessions and API tokens are gone in the same transaction, and the live connections they opened are closed after
it (samen/meetings/signouts.py); the signal is for what the database does not hold.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

account_deleted = _signals.signal("account-deleted")
