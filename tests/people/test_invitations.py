"""Invitations by e-mail: chairs (for their think tank) and the coordinator invite one person, a pasted list or a
CSV file; bad rows get their own error and the good ones go; the single-use, expiring link lets a new person set a
password and lands them in the think tank, and asks someone with an account to sign in; the inviter learns nothing
about accounts."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from samen.partners.models import Organisation
from samen.people import operations as ops
from samen.people.models import Invitation
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database
STRONG = "tulp-molen-kaas-42"


def _link(mail) -> str:
    return re.search(r"http://localhost(/invitations/[\w-]+)", mail.get_content()).group(1)


def _count(db, model=Invitation) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def tactus(db):
    organisation = Organisation(slug="tactus", name="Tactus", kind="addiction_care")
    db.session.add(organisation)
    db.session.commit()
    return organisation


def test_a_chair_invites_ten_people_of_a_small_think_tank_in_one_go(client, auth, db, chair, thinktank, tactus,
                                                                    mailbox, send_invites):
    auth.login(chair)
    people = "\n".join(["naam, e-mail, organisatie"]
                       + [f"Deelnemer {n}, deelnemer{n}@example.org" for n in range(1, 10)]
                       + ["Ingrid, ingrid@example.org, Tactus"])
    response = send_invites(thinktank=thinktank.slug, people=people)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "10 uitnodigingen verstuurd" in html
    assert _count(db) == 10 and len(mailbox) == 10
    assert {mail["To"] for mail in mailbox} == {f"deelnemer{n}@example.org" for n in range(1, 10)} | {
        "ingrid@example.org"}
    ingrid = db.session.scalar(select(Invitation).where(Invitation.email == "ingrid@example.org"))
    assert (ingrid.name, ingrid.organisation_id, ingrid.thinktank_id) == ("Ingrid", tactus.id, thinktank.id)
    assert _count(db, AuditEntry) >= 10


def test_bad_rows_get_their_own_error_and_the_good_ones_go(client, auth, db, chair, thinktank, mailbox,
                                                          send_invites):
    auth.login(chair)
    people = ("Goed, goed@example.org\n"
              "Geen adres hier\n"
              "Fout, fout@@example\n"
              "Dubbel, goed@example.org\n"
              "Onbekend, onbekend@example.org, Bestaat Niet BV\n"
              "Ook goed, ookgoed@example.org\n")
    response = send_invites(thinktank=thinktank.slug, people=people)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 uitnodigingen verstuurd" in html
    assert {mail["To"] for mail in mailbox} == {"goed@example.org", "ookgoed@example.org"}
    assert "Regel 2" in html and "Geen e-mailadres op deze regel." in html
    assert "Regel 3" in html and "Regel 4" in html and "Regel 5" in html
    assert "Bestaat Niet BV" in html
    # The form holds only the rows to correct.
    textarea = re.search(r'<textarea[^>]*name="people"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Geen adres hier" in textarea and "Dubbel" in textarea
    assert "Ook goed" not in textarea and "Goed, goed@" not in textarea


def test_a_csv_file_works_as_well(client, auth, db, chair, thinktank, mailbox):
    auth.login(chair)
    data = {"thinktank": thinktank.slug,
            "file": (io.BytesIO("naam;e-mail\nAnna;anna@example.org\nBen;ben@example.org\n".encode("utf-8-sig")),
                     "leden.csv")}
    response = auth.post("/invitations?lang=en", data, content_type="multipart/form-data")
    assert response.status_code == 200 and "2 invitations sent" in response.get_data(as_text=True)
    assert _count(db) == 2


def test_a_new_person_sets_a_password_and_lands_in_the_think_tank(client, auth, db, chair, thinktank, tactus,
                                                                  mailbox, send_invites, csrf_token):
    auth.login(chair)
    send_invites(thinktank=thinktank.slug, name="Eva de Boer", email="Eva@Example.org",
                 organisation=str(tactus.id))
    (mail,) = mailbox
    assert "kies je een wachtwoord" in mail.get_content().lower() or "wachtwoord" in mail.get_content()
    link = _link(mail)
    auth.logout()
    page = client.get(link).get_data(as_text=True)
    assert 'value="Eva de Boer"' in page and "eva@example.org" in page
    response = client.post(link, data={"csrf_token": csrf_token(client, link), "display_name": "Eva",
                                       "password": STRONG, "confirm": STRONG, "accept_terms": "y"})
    assert response.status_code == 302 and response.headers["Location"] == f"/thinktanks/{thinktank.slug}"
    user = account_ops.find_user_by_email("eva@example.org")
    assert user.is_confirmed and user.terms_version == account_ops.TERMS_VERSION
    assert (user.kind, user.organisation) == ("professional", "Tactus")
    assert tt_ops.membership_of(thinktank, user).is_active
    assert client.get("/account").status_code == 200  # signed in
    assert client.get(link).status_code == 404  # single use


def test_the_accept_form_asks_what_registration_asks(client, auth, db, chair, thinktank, mailbox, send_invites,
                                                    csrf_token):
    auth.login(chair)
    send_invites(thinktank=thinktank.slug, email="merel.jansen@example.org")
    link = _link(mailbox[0])
    auth.logout()
    data = {"csrf_token": csrf_token(client, link), "display_name": "Merel Jansen", "password": STRONG,
            "confirm": STRONG, "under_16": "y"}
    response = client.post(link + "?lang=en", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Agree to the terms of use to register." in html and "not your first and last name" in html
    assert account_ops.find_user_by_email("merel.jansen@example.org") is None
    response = client.post(link, data={**data, "display_name": "Zonnebloem", "accept_terms": "y"})
    assert response.status_code == 302
    assert account_ops.find_user_by_email("merel.jansen@example.org").under_16


def test_an_address_with_an_account_is_asked_to_sign_in_and_gets_the_membership(client, auth, db, chair, thinktank,
                                                                               user, mailbox, send_invites,
                                                                               csrf_token):
    auth.login(chair)
    first = send_invites(thinktank=thinktank.slug, email=user.email).get_data(as_text=True)
    (mail,) = mailbox
    assert "je hebt al een account" in mail.get_content().lower()
    link = _link(mail)
    auth.logout()
    page = client.get(link).get_data(as_text=True)
    assert "Log in om te accepteren" in page and 'name="password"' not in page
    auth.login(user)
    response = auth.post(link)
    assert response.status_code == 302 and response.headers["Location"] == f"/thinktanks/{thinktank.slug}"
    assert tt_ops.membership_of(thinktank, user).is_active
    assert "1 uitnodiging verstuurd" in first


def test_the_inviter_sees_the_same_for_a_new_and_a_known_address(client, auth, db, chair, thinktank, user, mailbox,
                                                                send_invites):
    auth.login(chair)
    client.get("/invitations")  # the sign-in's flash is shown

    def answer(address: str) -> str:
        html = send_invites(thinktank=thinktank.slug, email=address).get_data(as_text=True)
        html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r"\1", html)
        return html.replace(address, "ADDRESS").split('id="sent-heading"')[0]

    assert answer(user.email) == answer("nieuw-adres@example.org")
    rows = client.get("/invitations").get_data(as_text=True)
    assert rows.count("wacht") >= 2  # both pending, alike


def test_someone_signed_in_with_another_account_is_told_to_sign_out(client, auth, db, chair, thinktank, member,
                                                                   mailbox, send_invites):
    auth.login(chair)
    send_invites(thinktank=thinktank.slug, email="iemand@example.org")
    link = _link(mailbox[0])
    auth.logout()
    auth.login(member)
    assert client.get(link).status_code == 403
    assert auth.post(link).status_code == 403
    assert account_ops.find_user_by_email("iemand@example.org") is None


def test_an_expired_or_replaced_link_no_longer_works(client, auth, db, chair, thinktank, mailbox, send_invites):
    auth.login(chair)
    send_invites(thinktank=thinktank.slug, email="later@example.org")
    send_invites(thinktank=thinktank.slug, email="later@example.org")
    first, second = (_link(mail) for mail in mailbox)
    auth.logout()
    assert client.get(first).status_code == 404  # only the newest mail counts
    assert client.get(second).status_code == 200
    for invitation in db.session.scalars(select(Invitation)):
        invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(second).status_code == 404


@pytest.mark.parametrize("who", ["member", "user", "other_chair"])
def test_only_chairs_of_the_think_tank_and_the_coordinator_invite(client, auth, db, thinktank, member, user,
                                                                  create_user, create_thinktank, who, send_invites):
    other_chair = create_user(display_name="Andere voorzitter")
    tt_ops.appoint_chair(create_thinktank(slug="nazorg", name="Nazorg"), other_chair)
    db.session.commit()
    auth.login({"member": member, "user": user, "other_chair": other_chair}[who])
    response = send_invites(thinktank=thinktank.slug, email="x@example.org")
    assert response.status_code in (403, 422)
    assert _count(db) == 0


def test_the_coordinator_invites_into_any_think_tank_or_none(client, auth, db, coordinator, thinktank, mailbox,
                                                            send_invites):
    auth.login(coordinator)
    assert send_invites(thinktank=thinktank.slug, email="a@example.org").status_code == 200
    assert send_invites(thinktank="", email="b@example.org").status_code == 200
    assert {i.thinktank_id for i in db.session.scalars(select(Invitation))} == {thinktank.id, None}


def test_a_chair_must_choose_a_think_tank(client, auth, db, chair, thinktank, send_invites):
    auth.login(chair)
    response = send_invites(thinktank="", email="a@example.org")
    assert response.status_code == 422 and _count(db) == 0


def test_inviting_is_rate_limited(client, auth, db, chair, thinktank, send_invites, rate_limited):
    rate_limited(INVITATION_RATE_LIMIT="3 per day")
    auth.login(chair)
    people = "\n".join(f"p{n}@example.org" for n in range(4))
    response = send_invites(thinktank=thinktank.slug, people=people)
    assert response.status_code == 422 and _count(db) == 0


def test_an_address_gets_few_invitation_mails(client, auth, db, chair, thinktank, mailbox, send_invites,
                                             rate_limited):
    rate_limited(INVITATION_MAIL_RATE_LIMIT="1 per day")
    auth.login(chair)
    send_invites(thinktank=thinktank.slug, email="veel@example.org")
    html = send_invites(thinktank=thinktank.slug, email="veel@example.org").get_data(as_text=True)
    assert len(mailbox) == 1 and "recent meerdere uitnodigingen" in html


def test_parse_people_reads_the_usual_shapes():
    rows = ops.parse_people("Naam;E-mail\nAnna;anna@example.org\n\n\"de Vries, Jan\";jan@example.org;Politie\n")
    assert [(r.line, r.name, r.email, r.organisation) for r in rows] == [
        (2, "Anna", "anna@example.org", ""), (4, "de Vries, Jan", "jan@example.org", "Politie")]
    assert ops.parse_people("solo@example.org")[0].email == "solo@example.org"


def test_invitations_to_my_address_are_in_my_data_and_go_with_the_account(app, client, auth, db, chair, thinktank,
                                                                          user, mailbox, send_invites):
    from samen.privacy import operations as privacy_ops

    auth.login(chair)
    send_invites(thinktank=thinktank.slug, email=user.email, name="Buurvrouw")
    send_invites(thinktank=thinktank.slug, email="iemand-anders@example.org")
    data = privacy_ops.export_user_data(user)
    assert [(i["name"], i["thinktank"]) for i in data["people"]["invitations"]] == [("Buurvrouw", thinktank.slug)]
    assert "iemand-anders" not in privacy_ops.to_json(data)
    privacy_ops.delete_account(user, keep_contributions=False, hash_key=app.config["SECRET_KEY"])
    db.session.commit()
    assert [i.email for i in db.session.scalars(select(Invitation))] == ["iemand-anders@example.org"]


def test_unused_invitations_are_removed_some_time_after_they_expired(db, chair, thinktank):
    from samen.people.privacy import retain

    rows = [ops.Row(line=n, text="", email=f"oud{n}@example.org") for n in range(2)]
    outcome = ops.invite_people(chair, rows, thinktank=thinktank, lifetime=timedelta(days=14))
    outcome.sent[0].invitation.expires_at = utcnow() - timedelta(days=100)
    db.session.commit()
    settings = {"RETENTION_INVITATIONS_DAYS": 90}
    assert retain(now=utcnow(), settings=settings, dry_run=True) == {"expired invitations": 1}
    assert retain(now=utcnow(), settings=settings, dry_run=False) == {"expired invitations": 1}
    assert _count(db) == 1


def test_an_empty_form_says_what_to_fill_in(client, auth, chair, thinktank, send_invites):
    auth.login(chair)
    response = send_invites(thinktank=thinktank.slug)
    assert response.status_code == 422
    assert "Vul een e-mailadres, een lijst of een bestand in." in response.get_data(as_text=True)
