"""'Download my data' works at any time: with the password confirmation expired, the link leads to the
confirmation page and then to the download (a `download` attribute on the link made the browser save the
confirmation page as the file instead)."""
from __future__ import annotations

import json
import re

import pytest

DOWNLOAD = "/account/data/download"


@pytest.mark.parametrize("page", ["/account/data", "/account/delete"])
def test_the_download_links_are_ordinary_links(client, auth, story, page):
    auth.login(story.me)
    html = client.get(page).get_data(as_text=True)
    links = re.findall(r'<a [^>]*href="/account/data/download"[^>]*>', html)
    assert links, html[:2000]
    assert all(" download" not in link for link in links)  # the browser follows redirects to the confirm page


@pytest.mark.parametrize("lang, heading", [("nl", "Bevestig je wachtwoord"), ("en", "Confirm your password")])
def test_an_expired_confirmation_leads_to_the_confirm_page_and_then_downloads(client, auth, story, later,
                                                                             confirm_password, lang, heading):
    auth.login(story.me)
    later()  # the sign-in's confirmation has expired
    client.get(f"/account/data?lang={lang}")
    with client.session_transaction() as session:
        session["lang"] = lang
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and heading in page.get_data(as_text=True)
    answer = confirm_password(client, next=DOWNLOAD)
    assert answer.status_code == 302 and answer.headers["Location"] == DOWNLOAD
    file = client.get(answer.headers["Location"])
    assert file.status_code == 200 and file.mimetype == "application/json"
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(file.get_data(as_text=True))["user_id"] == story.me.id
