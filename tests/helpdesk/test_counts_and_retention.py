"""Retention removes closed requests after HELP_RETENTION_DAYS; counts per month feed indicators, small ones
published as "< 5"; the CLI rotates keys and links indicators."""
from __future__ import annotations

from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from samen.actions import operations as action_ops
from samen.actions.models import Measurement
from samen.helpdesk import counts, crypto
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpMessage, HelpRequest, HelpRequestStat
from samen.privacy import operations as privacy_ops
from tests.helpdesk.conftest import SECRET_TEXT

NOW = datetime(2026, 12, 7, 12, 0)


def test_retention_deletes_closed_requests_after_the_period_and_keeps_the_rest(app, db, make_request,
                                                                               team_member):
    old_closed, _a = make_request(text="Oud en afgesloten")
    recent_closed, _b = make_request(text="Net afgesloten")
    old_open, _c = make_request(text="Oud maar nog open")
    for request in (old_closed, recent_closed):
        ops.reply(request, "Antwoord", by=team_member)
        ops.update_status(request, "closed", outcome="helped", by=team_member)
    old_open.created_at = NOW - timedelta(days=400)
    old_closed.closed_at = NOW - timedelta(days=91)
    recent_closed.closed_at = NOW - timedelta(days=89)
    db.session.commit()

    results = privacy_ops.apply_retention({**app.config, "HELP_RETENTION_DAYS": 90}, now=NOW)
    db.session.commit()
    assert ("helpdesk", "closed help requests", 1) in [(r.feature, r.what, r.count) for r in results]
    remaining = set(db.session.scalars(select(HelpRequest.id)))
    assert remaining == {recent_closed.id, old_open.id}
    assert not db.session.scalars(select(HelpMessage).where(HelpMessage.request_id == old_closed.id)).all()
    assert db.session.scalar(select(func.count()).select_from(HelpRequestStat)) == 3  # the counts stay


def test_flask_retention_apply_runs_the_help_desk_rule(app, db, make_request, team_member):
    request, _code = make_request()
    ops.update_status(request, "closed", outcome="no_contact", by=team_member)
    request.closed_at = datetime(2020, 1, 1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "apply"])
    assert "helpdesk: removed 1 closed help requests" in result.output
    assert db.session.get(HelpRequest, request.id) is None


def _sent(make_request, when: datetime, **fields):
    request, _code = make_request(now=when, **fields)
    return request


def test_monthly_counts_by_kind_urgency_response_and_referral(db, make_request, team_member, directory_entry):
    november = datetime(2026, 11, 3, 9, 0)
    first = _sent(make_request, november, about="my_child", urgent=True)
    _sent(make_request, november, about="my_child")
    _sent(make_request, november, about="situation")
    _sent(make_request, datetime(2026, 10, 20), about="myself")
    ops.reply(first, "We bellen", by=team_member, now=november + timedelta(hours=48))
    ops.update_status(first, "referred", referral_entry_id=directory_entry.id, by=team_member)
    db.session.commit()
    october, nov = counts.monthly_counts()
    assert (october.month.isoformat(), october.total, dict(october.about)) == ("2026-10-01", 1, {"myself": 1})
    assert (nov.total, nov.about["my_child"], nov.urgent, nov.median_response_days) == (3, 2, 1, 2.0)
    assert dict(nov.referrals) == {directory_entry.id: 1}
    assert counts.feed_value(nov, "referrals") == (1, 1)


def test_fed_indicators_show_monthly_counts_and_small_ones_as_less_than_five(client, db, make_request, admin):
    indicator = action_ops.create_indicator(by=admin, thinktank=None, name="Hulpvragen per maand",
                                            direction="up")
    urgent = action_ops.create_indicator(by=admin, thinktank=None, name="Dringende hulpvragen", direction="up")
    counts.link_indicator(indicator, "total", by=admin)
    counts.link_indicator(urgent, "urgent", by=admin)
    for day in range(1, 7):
        _sent(make_request, datetime(2026, 11, day), urgent=day == 1)
    _sent(make_request, datetime(2026, 12, 1))  # this month: not complete, not written
    db.session.commit()

    assert counts.feed_indicators(threshold=5, now=NOW) == 2
    assert counts.feed_indicators(threshold=5, now=NOW) == 2  # again: replaced, not added
    db.session.commit()
    rows = db.session.execute(select(Measurement.indicator_id, Measurement.date, Measurement.value,
                                     Measurement.suppressed, Measurement.note)).all()
    assert sorted(rows) == sorted([
        (indicator.id, datetime(2026, 11, 1).date(), 6.0, False, ""),
        (urgent.id, datetime(2026, 11, 1).date(), 0.0, True, "< 5")])
    page = client.get("/progress")
    html = page.get_data(as_text=True)
    assert "Hulpvragen per maand" in html and "&lt; 5" in html
    assert SECRET_TEXT not in html


def test_link_indicator_and_rotate_key_from_the_command_line(app, db, make_request, admin, monkeypatch):
    indicator = action_ops.create_indicator(by=admin, thinktank=None, name="Hulpvragen", direction="up")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "fed with the count 'my_child'" in runner.invoke(
        args=["helpdesk", "link-indicator", str(indicator.id), "my_child"]).output
    assert indicator.help_feed == "my_child"
    assert runner.invoke(args=["helpdesk", "link-indicator", "999999", "total"]).exit_code != 0
    key = runner.invoke(args=["helpdesk", "new-key"]).output.strip()
    Fernet(key.encode())  # a valid key
    old = Fernet(Fernet.generate_key())
    monkeypatch.setitem(app.extensions, crypto.EXTENSION, crypto.cipher())
    crypto.use_keys(app, [old])
    make_request()
    crypto.use_keys(app, [Fernet(key.encode()), old])
    assert "Re-encrypted 1 value(s)" in runner.invoke(args=["helpdesk", "rotate-key"]).output


def test_the_figures_page_shows_counts_to_the_team_and_admins_only(auth, db, make_request, team_member, admin,
                                                                   user, count_queries, directory_entry):
    for day in range(1, 8):
        request = _sent(make_request, datetime(2026, 10, day), about="my_child", urgent=day < 3)
        if day < 6:
            ops.update_status(request, "referred", referral_entry_id=directory_entry.id, by=team_member)
    db.session.commit()
    auth.login(team_member)
    with count_queries() as statements:
        page = auth.client.get("/hulp/team/cijfers")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and SECRET_TEXT not in html and "drugsschuld" not in html
    assert "<td>7</td>" in html and "&lt; 5" in html  # 7 requests; 2 urgent read "< 5"
    assert f"{directory_entry.id}: 5" in html  # five referrals to the directory entry
    few = len(statements)
    _sent(make_request, datetime(2026, 9, 1))
    db.session.commit()
    with count_queries() as statements:
        auth.client.get("/hulp/team/cijfers")
    assert len(statements) == few
    auth.logout()
    auth.login(admin)
    assert auth.client.get("/hulp/team/cijfers").status_code == 200
    auth.logout()
    auth.login(user)
    assert auth.client.get("/hulp/team/cijfers").status_code == 403
