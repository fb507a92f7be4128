"""Fixtures for the evaluation: a coordinator, partner organisations with contact people, a period around today."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from samen.core.database import utcnow
from samen.evaluation import operations as ops
from samen.evaluation.models import Evaluation
from samen.partners.models import Organisation, OrganisationContact
from samen.programme.models import PlanRole


def period_around_today() -> tuple[date, date]:
    """A period from 60 days ago to 30 days from now: what happens in a test falls inside it."""
    today = utcnow().date()
    return today - timedelta(days=60), today + timedelta(days=30)


@pytest.fixture
def coordinator(create_user: Callable[..., Any], db: Any) -> Any:
    """Return the programme coordinator (a plan-wide role, not an admin)."""
    user = create_user(display_name="Coördinator gemeente", kind="professional", organisation="Gemeente")
    db.session.add(PlanRole(user_id=user.id, role="coordinator"))
    db.session.commit()
    return user


@pytest.fixture
def make_organisation(create_user: Callable[..., Any], db: Any) -> Callable[..., Organisation]:
    """Return a factory for partner organisations with active contact people (and a pending one)."""
    counter = iter(range(1, 1000))

    def make(name: str | None = None, kind: str = "police", contacts: int = 1, pending: int = 0) -> Organisation:
        n = next(counter)
        organisation = Organisation(slug=f"partner-{n}-{kind}", name=name or f"Partner {n}", kind=kind)
        db.session.add(organisation)
        db.session.flush()
        for index in range(contacts + pending):
            person = create_user(display_name=f"Contact {n}.{index}", kind="professional",
                                 organisation=organisation.name)
            db.session.add(OrganisationContact(organisation_id=organisation.id, user_id=person.id,
                                               status="active" if index < contacts else "pending"))
        db.session.commit()
        return organisation
    return make


@pytest.fixture
def make_evaluation(db: Any) -> Callable[..., Evaluation]:
    """Return a factory for draft evaluations (opened by an admin)."""
    def make(period: str = "2026", start: date | None = None, end: date | None = None, by: Any = None) -> Evaluation:
        first, last = period_around_today()
        from samen.accounts import operations as account_ops

        opener = by or account_ops.create_user(email=f"opener-{period}@example.org", display_name="Opener",
                                               is_admin=True, password_hash="x")
        evaluation = ops.open_evaluation(by=opener, period=period, title=f"Evaluatie {period}",
                                         start_date=start or first, end_date=end or last)
        db.session.commit()
        return evaluation
    return make


@pytest.fixture
def evaluation(make_evaluation: Callable[..., Evaluation]) -> Evaluation:
    """Return a draft evaluation of the period around today."""
    return make_evaluation()
