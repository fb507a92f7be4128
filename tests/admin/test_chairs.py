"""Admins appoint chairs by e-mail address and dismiss them."""
from __future__ import annotations

import pytest

from samen.core.database import db
from samen.thinktanks import operations as tt_ops


@pytest.fixture
def signed_in_admin(auth, admin):
    auth.login(admin)
    return admin


def test_appoint_chair_by_email(client, auth, signed_in_admin, thinktank, create_user):
    anja = create_user(display_name="Anja", email="anja@example.org", kind="professional",
                       organisation="Tactus")
    response = auth.post(f"/admin/thinktanks/{thinktank.slug}/chairs", {"email": " Anja@Example.org "})
    assert response.status_code == 302
    assert tt_ops.membership_of(thinktank, anja).is_chair
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anja is now a chair." in html
    assert "anja@example.org" in html
    public = client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert "Anja" in public and "Tactus" in public


def test_a_think_tank_can_have_several_chairs(client, auth, signed_in_admin, thinktank, create_user):
    for name in ("Anja", "Bert"):
        email = create_user(display_name=name).email
        auth.post(f"/admin/thinktanks/{thinktank.slug}/chairs", {"email": email})
    assert [chair.display_name for chair in tt_ops.chairs(thinktank)] == ["Anja", "Bert"]


@pytest.mark.parametrize("email, message", [
    ("nobody@example.org", "There is no account with this e-mail address."),
    ("not-an-address", "Enter a valid e-mail address."),
    ("", "This field is required."),
])
def test_appoint_chair_with_unknown_or_bad_email_says_so(client, auth, signed_in_admin, thinktank, email,
                                                          message):
    response = auth.post(f"/admin/thinktanks/{thinktank.slug}/chairs", {"email": email})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="email-error"' in html
    assert f'action="/admin/thinktanks/{thinktank.slug}"' in html  # the think-tank form still posts to itself
    assert 'value="Preventie"' in html
    assert tt_ops.chair_count(thinktank) == 0


def test_dismiss_chair_keeps_the_member(client, auth, signed_in_admin, thinktank, user):
    tt_ops.appoint_chair(thinktank, user)
    db.session.commit()
    html = auth.post(f"/admin/thinktanks/{thinktank.slug}/chairs/{user.id}/dismiss",
                     follow_redirects=True).get_data(as_text=True)
    assert f"{user.display_name} is no longer a chair." in html
    membership = tt_ops.membership_of(thinktank, user)
    assert (membership.role, membership.status) == ("member", "active")


def test_appointed_chair_can_approve_requests(client, auth, signed_in_admin, create_thinktank, create_user):
    nazorg = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    chair, applicant = create_user(display_name="Anja"), create_user(display_name="Aanvrager")
    request = tt_ops.join_thinktank(nazorg, applicant)
    db.session.commit()
    auth.post("/admin/thinktanks/nazorg/chairs", {"email": chair.email})
    auth.logout()
    auth.login(chair)
    assert auth.post(f"/thinktanks/nazorg/requests/{request.id}/approve").status_code == 302
    assert tt_ops.membership_of(nazorg, applicant).is_active
