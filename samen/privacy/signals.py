"""Signals about personal data that other features (the live meetings above all) can listen to.

`account_deleted` is sent once the deletion of an account is committed, with the deleted user's id as the
sender::

    from samen.privacy.signals import account_deleted

    @account_deleted.connect
    def disconnect(user_id, **_extra):
        ...  # close the live connections of this user

Sessions and API tokens are gone in the same transaction; the signal is for what the database does not hold,
such as open Socket.IO connections.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

account_deleted = _signals.signal("account-deleted")
