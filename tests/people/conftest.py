"""Fixtures for "who takes part": the mailbox (invitation mails leave after the response), a coordinator, and a
helper that posts the invitation form."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_finished

from samen.programme.models import PlanRole


@pytest.fixture
def mailbox(app: Flask) -> Iterator[list[Any]]:
    """Return the memory outbox, emptied; mail sent after a response is in it once the client has the answer."""
    from samen.core.mail import outbox, wait_for_mail

    def delivered(sender: Flask, **_extra: Any) -> None:
        assert wait_for_mail(sender), "the mail worker did not finish"

    with app.app_context():
        wait_for_mail(app)
        messages = outbox().messages
    messages.clear()
    request_finished.connect(delivered, app)
    try:
        yield messages
    finally:
        request_finished.disconnect(delivered, app)
        messages.clear()


@pytest.fixture
def coordinator(create_user: Callable[..., Any], db: Any) -> Any:
    """Return the programme coordinator (a plan-wide role)."""
    user = create_user(display_name="Regisseur")
    db.session.add(PlanRole(user_id=user.id, role="coordinator"))
    db.session.commit()
    return user


@pytest.fixture
def send_invites(auth: Any) -> Callable[..., Any]:
    """Return a function that posts the invitation form."""
    def post(**data: Any) -> Any:
        data.setdefault("thinktank", "")
        return auth.post("/invitations", data)
    return post
