"""Plan-wide roles: held, not held, anonymous, and admins as coordinators."""
from __future__ import annotations

from typing import Any

from flask_login import AnonymousUserMixin

from samen.programme import roles
from samen.programme.models import PlanRole


def test_roles_are_read_once_per_request_and_answer_per_role(app: Any, db: Any, create_user: Any,
                                                             count_queries: Any) -> None:
    worker = create_user(email="veldwerker@example.org")
    db.session.add(PlanRole(user_id=worker.id, role="field_worker"))
    db.session.flush()
    with app.test_request_context(), count_queries() as queries:
        assert roles.has_plan_role(worker, "field_worker")
        assert not roles.has_plan_role(worker, "analyst")
        assert not roles.is_coordinator(worker)
    assert len(queries) == 1


def test_coordinators_and_admins_coordinate_and_nobody_else(app: Any, db: Any, create_user: Any) -> None:
    coordinator, admin, resident = (create_user(email=f"{name}@example.org", is_admin=name == "beheer")
                                    for name in ("regisseur", "beheer", "bewoner"))
    db.session.add(PlanRole(user_id=coordinator.id, role="coordinator"))
    db.session.flush()
    with app.test_request_context():
        assert roles.is_coordinator(coordinator)
        assert roles.is_coordinator(admin)
        assert not roles.is_coordinator(resident)
        assert not roles.is_coordinator(AnonymousUserMixin())
        assert roles.plan_roles(AnonymousUserMixin()) == frozenset()
