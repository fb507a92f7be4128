"""`flask thinktanks chair SLUG EMAIL` and `flask thinktanks list`."""
from __future__ import annotations

from samen.core.database import db
from samen.thinktanks import operations as tt_ops


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["thinktanks", *args])


def test_chair_appoints_a_chair(app, user, thinktank):
    result = _run(app, "chair", thinktank.slug, user.email.upper())
    assert result.exit_code == 0, result.output
    assert f"{user.display_name} <{user.email}> chairs Preventie." in result.output
    membership = tt_ops.membership_of(tt_ops.get_thinktank(thinktank.slug), user)
    assert membership.is_chair


def test_chair_makes_a_pending_member_an_active_chair(app, user, create_thinktank):
    nazorg = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    tt_ops.join_thinktank(nazorg, user)
    db.session.commit()
    assert _run(app, "chair", "nazorg", user.email).exit_code == 0
    membership = tt_ops.membership_of(tt_ops.get_thinktank("nazorg"), user)
    assert (membership.role, membership.status) == ("chair", "active")


def test_chair_with_unknown_think_tank_fails(app, user):
    result = _run(app, "chair", "nope", user.email)
    assert result.exit_code == 1
    assert "No think tank with slug nope." in result.output


def test_chair_with_unknown_email_fails_and_stores_nothing(app, thinktank):
    result = _run(app, "chair", thinktank.slug, "nobody@example.org")
    assert result.exit_code == 1
    assert "No user with e-mail address nobody@example.org." in result.output
    assert tt_ops.chair_count(tt_ops.get_thinktank(thinktank.slug)) == 0


def test_list_shows_think_tanks_with_member_counts(app, user, thinktank, create_thinktank):
    tt_ops.join_thinktank(thinktank, user)
    tt_ops.archive_thinktank(create_thinktank(slug="oud", name="Oud"))
    db.session.commit()
    result = _run(app, "list")
    assert result.exit_code == 0
    assert "preventie\tPreventie\t1 members" in result.output
    assert "oud\tOud\t0 members (archived)" in result.output
