"""The partner pulse: sent to every partner's active contacts by e-mail (a personal single-use link, stored hashed)
and in the app, with reminders; the answers for the chairs and the coordinator only, grouped by theme."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from samen.core.mail import outbox, wait_for_mail
from samen.evaluation import operations as ops
from samen.evaluation.models import PulseInvitation
from samen.notifications.models import Notification

pytestmark = pytest.mark.database


def links(app, since=0):
    wait_for_mail(app)
    return [(message["To"], re.search(r"https?://\S+/partnerpeiling/(\S+)", message.get_content()).group(1))
            for message in outbox().messages[since:] if "/partnerpeiling/" in message.get_content()]


@pytest.fixture
def partners(make_organisation):
    """Three organisations: two active contacts at the police, one at a school (and a pending one there)."""
    return [make_organisation("Politie Nijkerk", kind="police", contacts=2),
            make_organisation("Het Nuborgh College", kind="school", contacts=1, pending=1)]


def send(client, auth, coordinator, evaluation):
    auth.login(coordinator)
    return auth.post(f"/evaluatie/{evaluation.period}/peiling/versturen")


def test_the_pulse_goes_to_every_active_contact_once(app, client, auth, db, coordinator, evaluation, partners):
    since = len(outbox().messages)
    response = send(client, auth, coordinator, evaluation)
    assert response.status_code == 302
    sent = links(app, since)
    assert len(sent) == 3  # not the pending contact
    invitations = list(db.session.scalars(select(PulseInvitation)))
    assert len(invitations) == 3
    for _to, token in sent:
        assert all(token not in (invitation.token_hash or "") for invitation in invitations)
        assert ops.token_hash(token) in {invitation.token_hash for invitation in invitations}
    notified = db.session.scalars(select(Notification.user_id).where(Notification.kind == "evaluation.pulse"))
    assert set(notified) == {invitation.user_id for invitation in invitations}
    # Sending again reaches only contacts who were not asked yet.
    send(client, auth, coordinator, evaluation)
    assert db.session.query(PulseInvitation).count() == 3


def test_a_contact_answers_once_with_the_personal_link(app, client, db, coordinator, evaluation, partners, auth):
    since = len(outbox().messages)
    send(client, auth, coordinator, evaluation)
    auth.logout()
    _to, token = links(app, since)[0]
    page = client.get(f"/partnerpeiling/{token}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert auth.post(f"/partnerpeiling/{token}", {"score": "11"}).status_code == 422
    answer = {"score": "8", "works": "Korte lijnen met de wijkagent.", "does_not_work": "Overleg duurt lang.",
              "obstacles": "Wachtlijst jeugdzorg van 14 weken."}
    response = auth.post(f"/partnerpeiling/{token}", answer)
    assert response.status_code == 302 and response.headers["Location"].endswith("/partnerpeiling/bedankt")
    # Single use: opened or sent again (after a lost answer), the link thanks and changes nothing.
    again = auth.post(f"/partnerpeiling/{token}", {**answer, "score": "2"})
    assert again.status_code == 200
    assert "Deze vragenlijst is al ingevuld" in again.get_data(as_text=True)
    assert 'name="score"' not in client.get(f"/partnerpeiling/{token}").get_data(as_text=True)
    answered = db.session.scalar(select(PulseInvitation).where(PulseInvitation.answered_at.is_not(None)))
    assert answered.score == 8
    assert ops.invitation_by_token(token) is None
    # The free texts are encrypted at rest.
    raw = db.session.execute(text("SELECT obstacles FROM pulse_invitations WHERE id = :id"),
                             {"id": answered.id}).scalar()
    assert "Wachtlijst" not in raw


def test_a_wrong_or_malformed_link_is_a_404(client, db, evaluation):
    for token in ("x", "a" * 43, "../../etc/passwd", "a" * 500):
        assert client.get(f"/partnerpeiling/{token}").status_code == 404


def test_a_contact_answers_in_the_app(client, auth, db, coordinator, evaluation, partners):
    ops.send_pulse(evaluation, by=coordinator)
    db.session.commit()
    contact = partners[1].contacts[0].user
    auth.login(contact)
    listing = client.get("/evaluatie").get_data(as_text=True)
    assert f"/evaluatie/{evaluation.period}/peiling/invullen" in listing
    path = f"/evaluatie/{evaluation.period}/peiling/invullen"
    assert client.get(path).status_code == 200
    assert auth.post(path, {"score": "6", "works": "Gastlessen."}).status_code == 302
    assert client.get(path).status_code == 302  # nothing waiting any more
    assert f"{path}" not in client.get("/evaluatie").get_data(as_text=True)


def test_answers_are_for_the_chairs_and_coordinator_grouped_by_theme(client, auth, db, coordinator, chair,
                                                                      evaluation, partners):
    sent = ops.send_pulse(evaluation, by=coordinator)
    ops.answer_pulse(sent[0].invitation, score=7, works="Korte lijnen.", obstacles="Wachtlijst GGZ.")
    ops.answer_pulse(sent[2].invitation, score=5, works="Gastlessen.")
    db.session.commit()
    auth.login(chair)
    html = client.get(f"/evaluatie/{evaluation.period}/peiling").get_data(as_text=True)
    assert "Korte lijnen." in html and "Wachtlijst GGZ." in html and "Gastlessen." in html
    assert html.index("Politie") < html.index("Korte lijnen.")
    assert "Gemiddeld cijfer: 6." in html
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "evaluation.pulse_read",
                                                      AuditEntry.actor_id == chair.id)) is not None
    # The public never sees an answer: not on the published page, not in the open data.
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    auth.logout()
    for path in (f"/evaluatie/{evaluation.period}", f"/evaluatie/{evaluation.period}.json",
                 f"/evaluatie/{evaluation.period}.csv", f"/api/v1/evaluations/{evaluation.period}"):
        text = client.get(path).get_data(as_text=True)
        assert "Korte lijnen" not in text and "Wachtlijst GGZ" not in text, path
    assert '"average": 6.0' in client.get(f"/evaluatie/{evaluation.period}.json").get_data(as_text=True) or \
        client.get(f"/evaluatie/{evaluation.period}.json").get_json()["figures"]["pulse"]["average"] == 6.0


def test_reminders_renew_the_link_of_who_has_not_answered(app, db, coordinator, evaluation, partners):
    sent = ops.send_pulse(evaluation, by=coordinator, now=utcnow() - timedelta(days=8))
    ops.answer_pulse(sent[0].invitation, score=7)
    db.session.commit()
    assert ops.invitation_by_token(sent[1].token) is not None
    runner = app.test_cli_runner()
    since = len(outbox().messages)
    result = runner.invoke(args=["evaluation", "remind"])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    reminded = links(app, since)
    assert len(reminded) == 2
    assert "Herinnering" in outbox().messages[-1]["Subject"]
    # The old link no longer works, the new one does; nobody is reminded twice in a week.
    assert ops.invitation_by_token(sent[1].token) is None
    assert ops.invitation_by_token(reminded[0][1]) is not None
    assert "0 sent" in runner.invoke(args=["evaluation", "remind"]).output


def test_the_daily_mail_job_sends_the_reminders_too(app, db, coordinator, evaluation, partners):
    ops.send_pulse(evaluation, by=coordinator, now=utcnow() - timedelta(days=8))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert "Partner pulse reminders: 3 sent, 0 failed." in result.output


def test_no_pulse_after_publishing(db, coordinator, evaluation, partners):
    sent = ops.send_pulse(evaluation, by=coordinator)
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    assert ops.invitation_by_token(sent[0].token) is None
    with pytest.raises(ops.Conflict):
        ops.send_pulse(evaluation, by=coordinator)
    assert ops.due_reminders(now=utcnow() + timedelta(days=30)) == []


def test_only_the_coordinator_sends_the_pulse(client, auth, db, chair, evaluation, partners):
    auth.login(chair)
    assert auth.post(f"/evaluatie/{evaluation.period}/peiling/versturen").status_code == 403
    assert db.session.query(PulseInvitation).count() == 0


def test_rotating_the_help_desk_key_re_encrypts_the_answers(app, db, coordinator, evaluation, partners,
                                                            monkeypatch):
    from cryptography.fernet import Fernet

    from samen.helpdesk import crypto
    from samen.helpdesk import operations as help_ops

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.extensions, crypto.EXTENSION, crypto.cipher())  # restored afterwards
    crypto.use_keys(app, crypto.parse_keys(old))
    sent = ops.send_pulse(evaluation, by=coordinator)
    ops.answer_pulse(sent[0].invitation, score=7, works="Korte lijnen.")
    db.session.commit()
    crypto.use_keys(app, crypto.parse_keys(f"{new},{old}"))
    assert help_ops.rotate_keys() == 3  # works, and the two empty answers
    db.session.commit()
    crypto.use_keys(app, crypto.parse_keys(new))  # the old key is dropped: the answer still reads
    db.session.expire_all()
    assert db.session.get(PulseInvitation, sent[0].invitation.id).works == "Korte lijnen."


@pytest.mark.parametrize("keep", [True, False])
def test_a_contacts_answers_in_their_data_and_at_deletion(app, db, coordinator, evaluation, partners, keep):
    from samen.privacy import operations as privacy_ops

    sent = ops.send_pulse(evaluation, by=coordinator)
    ops.answer_pulse(sent[0].invitation, score=7, works="Korte lijnen.")
    db.session.commit()
    contact = sent[0].invitation.user
    exported = privacy_ops.export_user_data(contact)["evaluation"]["partner_pulse"]
    assert [(row["organisation"], row["score"], row["works"]) for row in exported] == [
        ("Politie Nijkerk", 7, "Korte lijnen.")]
    privacy_ops.delete_account(contact, keep_contributions=keep, hash_key="k")
    db.session.commit()
    left = db.session.scalars(select(PulseInvitation).where(PulseInvitation.organisation_id == partners[0].id,
                                                            PulseInvitation.score.is_not(None))).all()
    assert [(row.user_id, row.works) for row in left] == ([(None, "Korte lijnen.")] if keep else [])
