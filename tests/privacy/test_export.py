"""'Download my data': only when signed in and after the password was confirmed; everything about me, nothing
about anyone else."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from samen.accounts.models import ApiToken, User, UserSession
from samen.ideas import operations as idea_ops
from samen.privacy import blueprint as privacy_views
from samen.privacy import operations as ops
from samen.privacy import registry
from tests.privacy.conftest import OTHER_SECRET_BODY, OTHER_SECRET_TITLE

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

DOWNLOAD = "/account/data/download"


def download(client, confirm_password):
    confirm_password(client)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in (DOWNLOAD, "/account/data", "/account/confirm", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_the_download_asks_for_the_password_first(client, auth, story, later):
    auth.login(story.me)
    later()
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/confirm?next=/account/data/download")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next"' in page and 'value="/account/data/download"' in page
    assert 'autocomplete="current-password"' in page


def test_a_wrong_password_is_a_form_error_in_dutch_and_confirms_nothing(client, auth, story, confirm_password,
                                                                        later):
    auth.login(story.me)
    later()
    response = confirm_password(client, password="niet-mijn-wachtwoord")
    assert response.status_code == 422
    assert "Dit is niet je wachtwoord." in response.get_data(as_text=True)
    assert client.get(DOWNLOAD).status_code == 302


def test_the_confirm_form_needs_its_csrf_token(client, auth, story, later):
    auth.login(story.me)
    later()
    response = client.post("/account/confirm", data={"password": "paard-fiets-zon-7"})
    assert response.status_code == 400
    assert client.get(DOWNLOAD).status_code == 302


def test_after_confirming_the_user_goes_on_to_where_they_were_going(client, auth, story, confirm_password):
    auth.login(story.me)
    response = confirm_password(client, next=DOWNLOAD)
    assert response.status_code == 302 and response.headers["Location"] == DOWNLOAD
    assert confirm_password(client, next="https://evil.example/").headers["Location"] == "/account/data"


def test_the_confirmation_expires(client, auth, story, confirm_password, monkeypatch, app):
    auth.login(story.me)
    confirm_password(client)
    assert client.get(DOWNLOAD).status_code == 200
    later = time.time() + app.config["REAUTH_MINUTES"] * 60 + 1
    monkeypatch.setattr(privacy_views.time, "time", lambda: later)
    assert client.get(DOWNLOAD).status_code == 302


def test_signing_in_with_the_password_counts_as_confirming_it(client, auth, story):
    auth.login(story.me)
    assert client.get(DOWNLOAD).status_code == 200
    auth.logout()
    assert client.get(DOWNLOAD).status_code == 302  # to the sign-in page
    assert "/login" in client.get(DOWNLOAD).headers["Location"]


def test_a_remember_me_cookie_does_not_count_as_confirming(client, auth, story, new_client):
    auth.login(story.me, remember=True)
    restarted = new_client()  # the browser was closed: only the remember-me cookie is left
    restarted.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert restarted.get("/account").status_code == 200
    response = restarted.get(DOWNLOAD)
    assert response.status_code == 302 and "/account/confirm" in response.headers["Location"]


def test_a_confirmation_counts_only_for_the_user_who_gave_it(client, auth, story):
    auth.login(story.me)
    with client.session_transaction() as session:
        session[privacy_views.CONFIRMED] = [story.other.id, time.time()]
    assert client.get(DOWNLOAD).status_code == 302
    with client.session_transaction() as session:
        session[privacy_views.CONFIRMED] = [story.me.id, time.time()]
    assert client.get(DOWNLOAD).status_code == 200


def test_the_download_is_a_json_attachment_that_is_not_cached(client, auth, story, confirm_password):
    auth.login(story.me)
    response = download(client, confirm_password)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="samen-my-data-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == ops.EXPORT_FORMAT and data["user_id"] == story.me.id


def test_the_download_holds_everything_about_me(client, auth, story, confirm_password):
    auth.login(story.me)
    data = download(client, confirm_password).get_json()
    profile = data["account"]["profile"]
    assert (profile["email"], profile["display_name"], profile["organisation"]) == (
        "ik@example.org", "Ikzelf", "Tactus")
    assert len(data["account"]["sessions"]) == 1 and data["account"]["sessions"][0]["browser"]
    assert [t["name"] for t in data["account"]["api_tokens"]] == ["mijn koppeling"]
    assert [m["thinktank"] for m in data["thinktanks"]] == [story.thinktank.slug]

    ideas = {idea["title"]: idea for idea in data["ideas"]["ideas"]}
    assert set(ideas) == {"Meer licht in het park", "Mijn anonieme idee"}
    assert ideas["Mijn anonieme idee"]["anonymous"] is True
    assert ideas["Meer licht in het park"]["earlier_versions"] == [
        {"title": "Mijn eerste versie", "body": "Eerste tekst",
         "replaced_at": ideas["Meer licht in het park"]["earlier_versions"][0]["replaced_at"]}]
    assert sorted(c["body"] for c in data["ideas"]["comments"]) == ["Goed plan, ik help mee.",
                                                                    "Wie neemt de ballen mee?"]
    assert [s["idea_title"] for s in data["ideas"]["supports"]] == ["Sportavond op vrijdag"]
    assert [r["reason"] for r in data["ideas"]["reports_made"]] == ["Dit is onaardig."]
    assert [a["title"] for a in data["actions"]["actions"]] == ["Lantaarns plaatsen"]
    assert data["actions"]["actions"][0]["owner"] is True
    assert [u["body"] for u in data["actions"]["progress_updates"]] == ["Offerte aangevraagd."]
    # The buurman commented on my idea and replied to my comment.
    assert sorted(n["kind"] for n in data["notifications"]) == ["comment", "reply"]
    # My update moved the progress to 10; making my API token is recorded too.
    assert sorted(e["action"] for e in data["audit"]) == ["account.api_token_created", "action.update"]


def test_the_download_holds_nothing_about_anyone_else(client, auth, story, confirm_password, db):
    # I take part in the other's anonymous idea too: still, nothing says whose it is.
    idea_ops.support_idea(story.other_anonymous_idea, story.me)
    db.session.commit()
    auth.login(story.other)  # the other has a session of their own
    auth.logout()
    auth.login(story.me)
    text = download(client, confirm_password).get_data(as_text=True)
    other = story.other
    for secret in (other.email, other.display_name, other.password_hash, OTHER_SECRET_BODY, story.other_token,
                   "Lantaarns kosten veel stroom.", "Dat doe ik!", "buurman koppeling", story.me.password_hash,
                   story.my_token, story.chair.email, story.chair.display_name):
        assert secret not in text, secret
    for key_hash in db.session.scalars(select(UserSession.key_hash)):
        assert key_hash not in text
    for token_hash in db.session.scalars(select(ApiToken.token_hash)):
        assert token_hash not in text
    data = json.loads(text)
    assert [s["idea_title"] for s in data["ideas"]["supports"]] == ["Sportavond op vrijdag", OTHER_SECRET_TITLE]
    assert f'"author_id": {other.id}' not in text and '"author' not in text


def test_the_other_users_anonymous_idea_never_appears(db, story):
    data = ops.to_json(ops.export_user_data(story.me))
    assert OTHER_SECRET_TITLE not in data and OTHER_SECRET_BODY not in data
    assert story.other.email not in data


def test_the_export_runs_a_fixed_number_of_queries(db, story, create_idea, count_queries):
    with count_queries() as few:
        ops.export_user_data(story.me)
    for n in range(4):
        idea = create_idea(story.thinktank, story.me, title=f"Nog een idee {n}")
        idea_ops.edit_idea(idea, by=story.me, body=f"Nieuwe tekst {n}")
        idea_ops.add_comment(story.other_idea, author=story.me, body=f"Reactie {n}")
    db.session.commit()
    with count_queries() as many:
        ops.export_user_data(story.me)
    assert len(many) == len(few)


def test_a_registered_feature_adds_its_section(db, story, monkeypatch):
    monkeypatch.setitem(registry._features, "workshops", registry.Feature(
        "workshops", export=lambda user: {"registrations": [{"workshop": 1, "user": user.id}]}))
    data = ops.export_user_data(story.me)
    assert data["workshops"] == {"registrations": [{"workshop": 1, "user": story.me.id}]}
    assert "meetings" in data  # the meetings feature registers itself
    assert list(data)[:4] == ["format", "exported_at", "user_id", "account"]


def test_the_overview_page_links_the_download_and_the_deletion(client, auth, story, count_queries):
    auth.login(story.me)
    with count_queries() as statements:
        page = client.get("/account/data").get_data(as_text=True)
    assert 'href="/account/data/download"' in page and 'href="/account/delete"' in page
    assert "Je gegevens" in page
    assert len(statements) <= 4, statements
    profile = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in profile


@pytest.mark.parametrize("lang,heading", [("nl", "Bevestig je wachtwoord"), ("en", "Confirm your password")])
def test_the_confirm_page_speaks_the_visitors_language(client, auth, story, lang, heading):
    auth.login(story.me)
    with client.session_transaction() as session:
        session["lang"] = lang
    assert heading in client.get("/account/confirm").get_data(as_text=True)


def test_the_cli_exports_one_persons_data(app, db, story):
    result = app.test_cli_runner().invoke(args=["privacy", "export", story.me.email])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["account"]["profile"]["email"] == story.me.email
    assert OTHER_SECRET_TITLE not in result.output
    missing = app.test_cli_runner().invoke(args=["privacy", "export", "niemand@example.org"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_no_user_row_changes_by_exporting(db, story):
    before = db.session.execute(select(User.id, User.email, User.display_name)).all()
    ops.export_user_data(story.me)
    assert db.session.execute(select(User.id, User.email, User.display_name)).all() == before


def test_guessing_the_password_at_the_confirm_step_is_rate_limited(make_app, database_url):
    from samen.accounts import operations as account_ops
    from samen.core.database import db as database
    from tests.conftest import PASSWORD, make_config

    limited = make_app(make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute"))
    with limited.app_context():
        account_ops.create_user(email="raden@example.org", display_name="Raden", password=PASSWORD)
        database.session.commit()
    client = limited.test_client()

    def token(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        return page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

    client.post("/login", data={"email": "raden@example.org", "password": PASSWORD, "csrf_token": token("/login")})
    csrf = token("/account/confirm")
    guesses = [client.post("/account/confirm", data={"password": f"gok-{n}", "csrf_token": csrf}).status_code
               for n in range(3)]
    assert guesses == [422, 422, 429]
