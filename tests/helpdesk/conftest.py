"""Fixtures for the help desk: the intake team and requests sent without an account."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpRequest, HelpTeamMember
from tests.meetings.conftest import create_meeting  # noqa: F401  (a meeting for the live board)

SECRET_TEXT = "Mijn zoon heeft een drugsschuld van 3000 euro en wordt bedreigd"


@pytest.fixture
def team_member(create_user: Callable[..., Any], db: Any) -> Any:
    """Return a member of the intake team (the Samen Doen team)."""
    user = create_user(display_name="Samen Doen medewerker", kind="professional", organisation="Samen Doen")
    db.session.add(HelpTeamMember(user_id=user.id))
    db.session.commit()
    return user


@pytest.fixture
def make_request(db: Any) -> Callable[..., tuple[HelpRequest, str]]:
    """Return a factory for requests sent without an account: (request, receipt code)."""
    def make(**fields: Any) -> tuple[HelpRequest, str]:
        fields.setdefault("about", "my_child")
        fields.setdefault("text", SECRET_TEXT)
        fields.setdefault("urgent", False)
        fields.setdefault("contact_method", "none")
        request, code = ops.submit_request(**fields)
        db.session.commit()
        return request, code
    return make


@pytest.fixture
def help_request(make_request: Callable[..., tuple[HelpRequest, str]]) -> tuple[HelpRequest, str]:
    """Return a request about a child, with its receipt code."""
    return make_request()


@pytest.fixture
def directory_entry(db: Any) -> Any:
    """Return an entry of the help directory (samen/help) that requests can be referred to."""
    from samen.help import operations as help_ops
    entry = help_ops.create_entry({"kind": "organisation", "name_nl": "Tactus verslavingszorg",
                                   "topics_nl": "Hulp bij verslaving.", "phone": "088 382 88 88"}, by=None)
    db.session.commit()
    return entry
