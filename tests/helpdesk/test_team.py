"""The intake team: the queue, reading (audited), assigning, statuses, notes and replies; administrators name the
team but do not read requests."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.core.mail import outbox
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpMessage, HelpRequest, HelpTeamMember
from tests.helpdesk.conftest import SECRET_TEXT


def _audit(db, request_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == "help_request", AuditEntry.subject_id == request_id).order_by(AuditEntry.id)))


def test_may_read_requests_is_the_team_only(db, team_member, admin, user):
    assert ops.may_read_requests(team_member)
    assert not ops.may_read_requests(admin) and not ops.may_read_requests(user)
    assert not ops.may_read_requests(None)


def test_the_team_sees_the_queue_urgent_first_and_reads_a_request_recorded_in_the_audit_log(
        auth, db, make_request, team_member):
    calm, _c = make_request(urgent=False, text="Rustig verzoek")
    urgent, _u = make_request(urgent=True, about="situation", text="Er wordt gedeald bij de school")
    auth.login(team_member)
    queue = auth.client.get("/hulp/team").get_data(as_text=True)
    assert queue.index(f"/hulp/team/{urgent.id}") < queue.index(f"/hulp/team/{calm.id}")
    assert "gedeald" not in queue  # the queue shows no content
    page = auth.client.get(f"/hulp/team/{urgent.id}")
    assert page.status_code == 200 and "Er wordt gedeald bij de school" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert _audit(db, urgent.id) == ["help_request.created", "help_request.read"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "help_request.read")).one()
    assert entry.actor_id == team_member.id and "gedeald" not in str(entry.data)


def test_the_team_assigns_refers_closes_notes_and_replies(auth, db, make_request, team_member, create_user,
                                                        directory_entry):
    colleague = create_user(display_name="Gebiedsteam collega")
    db.session.add(HelpTeamMember(user_id=colleague.id))
    db.session.commit()
    request, _code = make_request(contact_method="email", contact="ouder@example.org", mail_replies=True)
    auth.login(team_member)
    base = f"/hulp/team/{request.id}"
    assert auth.post(f"{base}/toewijzen", {"assignee": str(colleague.id)}).status_code == 302
    assert auth.post(f"{base}/notitie", {"note-body": "Eerst de schuldhulp bellen"}).status_code == 302
    sent = len(outbox().messages)
    assert auth.post(f"{base}/antwoord", {"reply-body": "We nemen morgen contact op"}).status_code == 302
    assert outbox().messages[sent]["To"] == "ouder@example.org"  # they gave an address and agreed
    assert "We nemen morgen contact op" in outbox().messages[sent].get_content()
    assert auth.post(f"{base}/status", {"status": "referred", "referral_note": "Tactus",
                                         "referral_entry": str(directory_entry.id), "outcome": ""}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(HelpRequest, request.id)
    assert (stored.assignee_id, stored.status, stored.referral_entry_id, stored.referral_note) == (
        colleague.id, "referred", directory_entry.id, "Tactus")
    assert stored.first_response_at is not None and stored.stat.referral_entry_id == directory_entry.id
    assert [m.kind for m in stored.messages] == ["note", "reply"]
    assert auth.post(f"{base}/status", {"status": "closed", "outcome": ""}).status_code == 422  # no outcome
    assert auth.post(f"{base}/status", {"status": "closed", "outcome": "helped"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).closed_at is not None
    assert _audit(db, request.id)[1:] == [
        "help_request.read", "help_request.assigned", "help_request.read", "help_request.note_added",
        "help_request.read", "help_request.replied", "help_request.read", "help_request.status",
        "help_request.read", "help_request.read", "help_request.status"]


def test_a_reply_is_not_mailed_without_consent(auth, db, make_request, team_member):
    request, _code = make_request(contact_method="email", contact="ouder@example.org", mail_replies=False)
    auth.login(team_member)
    sent = len(outbox().messages)
    auth.post(f"/hulp/team/{request.id}/antwoord", {"reply-body": "Antwoord"})
    assert len(outbox().messages) == sent
    assert db.session.scalars(select(HelpMessage.kind)).all() == ["reply"]


def test_someone_not_on_the_team_can_only_assign_team_members(db, help_request, team_member, user):
    request, _code = help_request
    with pytest.raises(ops.DomainError):
        ops.assign_request(request, user, by=team_member)


@pytest.mark.parametrize("who", ["admin", "user"])
def test_administrators_and_others_not_on_the_team_get_nothing(auth, db, help_request, who, request):
    help_req, _code = help_request
    auth.login(request.getfixturevalue(who))
    assert auth.client.get("/hulp/team").status_code == 403
    for path in (f"/hulp/team/{help_req.id}", f"/hulp/team/{help_req.id + 1000}"):
        assert auth.client.get(path).status_code == 404
    for action, data in (("antwoord", {"reply-body": "x"}), ("notitie", {"note-body": "x"}),
                         ("status", {"status": "closed", "outcome": "helped"}), ("toewijzen", {"assignee": ""})):
        assert auth.post(f"/hulp/team/{help_req.id}/{action}", data).status_code == 404
    assert db.session.get(HelpRequest, help_req.id).status == "new"
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "help_request.read")).all()


def test_anonymous_visitors_are_sent_to_sign_in(client, help_request):
    request, _code = help_request
    for path in ("/hulp/team", f"/hulp/team/{request.id}"):
        page = client.get(path)
        assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_administrators_name_the_team(auth, db, admin, user):
    auth.login(admin)
    assert auth.client.get("/hulp/team/leden").status_code == 200
    assert auth.post("/hulp/team/leden", {"email": user.email}).status_code == 302
    assert ops.may_read_requests(user)
    assert auth.post("/hulp/team/leden", {"email": "niemand@example.org"}).status_code == 422
    assert auth.post(f"/hulp/team/leden/{user.id}/verwijderen").status_code == 302
    assert not ops.may_read_requests(user)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "user",
                                                                 AuditEntry.subject_id == user.id)).all()
    assert actions == ["help_team.added", "help_team.removed"]


def test_team_members_who_are_no_admin_do_not_name_the_team(auth, team_member, user):
    auth.login(team_member)
    assert auth.client.get("/hulp/team/leden").status_code == 403
    assert auth.post("/hulp/team/leden", {"email": user.email}).status_code == 403


def test_the_queue_and_a_request_page_take_a_constant_number_of_queries(auth, db, make_request, team_member,
                                                                         count_queries):
    auth.login(team_member)
    first, _c = make_request()
    ops.reply(first, "Antwoord", by=team_member)
    ops.assign_request(first, team_member, by=team_member)
    db.session.commit()

    def measure(path: str) -> int:
        with count_queries() as statements:
            assert auth.client.get(path).status_code == 200
        return len(statements)

    queue_few, page_few = measure("/hulp/team"), measure(f"/hulp/team/{first.id}")
    for _ in range(5):
        more, _code = make_request(urgent=True)
        ops.assign_request(more, team_member, by=team_member)
        ops.reply(first, "Nog een antwoord", by=team_member)
        ops.add_note(first, "Notitie", by=team_member)
    db.session.commit()
    assert measure("/hulp/team") == queue_few
    assert measure(f"/hulp/team/{first.id}") == page_few
    assert SECRET_TEXT  # the requests above carry the secret text


def test_a_reply_note_or_addition_to_a_freshly_loaded_request_is_stored(db, help_request, team_member):
    request, _code = help_request
    for act in (lambda r: ops.reply(r, "Antwoord", by=team_member), lambda r: ops.add_note(r, "N", by=team_member),
                lambda r: ops.add_information(r, "Meer")):
        db.session.expire_all()  # the request's stat and messages are not loaded: the write must not trip on them
        act(ops.read_request(request.id, by=team_member))
        db.session.commit()
    assert sorted(db.session.scalars(select(HelpMessage.kind))) == ["note", "reply", "sender"]


def test_the_account_page_links_team_members_to_the_queue(auth, team_member, user):
    auth.login(team_member)
    assert "/hulp/team" in auth.client.get("/account").get_data(as_text=True)
    auth.logout()
    auth.login(user)
    assert "/hulp/team" not in auth.client.get("/account").get_data(as_text=True)


def test_referring_to_an_entry_that_does_not_exist_is_a_form_error(auth, db, make_request, team_member):
    request, _code = make_request()
    auth.login(team_member)
    response = auth.post(f"/hulp/team/{request.id}/status", {"status": "referred", "referral_note": "",
                                                               "referral_entry": "999999", "outcome": ""})
    assert response.status_code in (400, 422) and "hulpwijzer" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).status == "new"  # nothing changed
