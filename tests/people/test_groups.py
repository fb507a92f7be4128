"""The groups participants may say they belong to: optional on registration and the profile, a list administrators
keep (add, rename in both languages, retire); personal data — in "download my data", deleted with the account."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from samen.accounts import groups as group_ops
from samen.accounts import operations as account_ops
from samen.accounts.groups import ParticipantGroup, UserGroup
from samen.audit.models import AuditEntry
from samen.privacy import operations as privacy_ops

pytestmark = pytest.mark.database
STRONG = "tulp-molen-kaas-42"


def _group(db, key: str) -> ParticipantGroup:
    return db.session.scalar(select(ParticipantGroup).where(ParticipantGroup.key == key))


def _checkboxes(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="groups"[^>]*>', html)


@pytest.mark.parametrize("lang, label, group", [("nl", "Ik hoor bij (niet verplicht)", "Ervaringsdeskundige"),
                                                      ("en", "I belong to (optional)", "Expert by experience")])
def test_registration_offers_the_groups_optionally(client, lang, label, group):
    html = client.get(f"/register?lang={lang}").get_data(as_text=True)
    assert label in html and group in html and len(_checkboxes(html)) == 6
    assert all("required" not in box for box in _checkboxes(html))


def test_registering_with_groups_and_without(client, csrf_token, db, mailbox):
    parent, young = _group(db, "parent"), _group(db, "young_person")
    base = {"display_name": "Merel", "kind": "resident", "organisation": "", "password": STRONG,
            "confirm": STRONG, "accept_terms": "y"}
    client.post("/register", data={"csrf_token": csrf_token(client, "/register"), **base,
                                   "email": "met@example.org", "groups": [str(parent.id), str(young.id)]})
    client.post("/register", data={"csrf_token": csrf_token(client, "/register"), **base,
                                   "email": "zonder@example.org"})
    assert group_ops.group_ids_of(account_ops.find_user_by_email("met@example.org")) == sorted([parent.id, young.id])
    assert group_ops.group_ids_of(account_ops.find_user_by_email("zonder@example.org")) == []


def test_registering_an_address_that_is_taken_changes_nobodys_groups(client, csrf_token, db, user, mailbox):
    client.post("/register", data={"csrf_token": csrf_token(client, "/register"), "email": user.email,
                                   "display_name": "Merel", "kind": "resident", "organisation": "",
                                   "password": STRONG, "confirm": STRONG, "accept_terms": "y",
                                   "groups": [str(_group(db, "parent").id)]})
    assert group_ops.group_ids_of(user) == []


def test_the_profile_changes_the_groups_and_keeps_a_retired_one(client, auth, db, user):
    parent, retired = _group(db, "parent"), _group(db, "entrepreneur")
    group_ops.set_groups(user, [retired.id])
    group_ops.retire_group(retired)
    db.session.commit()
    auth.login(user)
    html = client.get("/account").get_data(as_text=True)
    assert len(_checkboxes(html)) == 5 and "Ondernemer" not in html
    response = auth.post("/account", {"display_name": user.display_name, "kind": "resident", "organisation": "",
                                      "locale": "", "digest": "never", "groups": [str(parent.id)]})
    assert response.status_code == 302
    assert set(group_ops.group_ids_of(user)) == {parent.id, retired.id}
    html = client.get("/account").get_data(as_text=True)
    assert any("checked" in box and f'value="{parent.id}"' in box for box in _checkboxes(html))
    auth.post("/account", {"display_name": user.display_name, "kind": "resident", "organisation": "",
                           "locale": "", "digest": "never"})
    assert group_ops.group_ids_of(user) == [retired.id]


def test_a_group_that_is_not_offered_cannot_be_chosen(client, auth, db, user):
    auth.login(user)
    response = auth.post("/account?lang=en", {"display_name": user.display_name, "kind": "resident",
                                              "organisation": "", "locale": "", "groups": ["999999"]})
    assert response.status_code == 422 and "Choose from the groups in the list." in response.get_data(as_text=True)


def test_administrators_add_rename_and_retire_groups(client, auth, db, admin):
    auth.login(admin)
    assert client.get("/admin/groups").status_code == 200
    response = auth.post("/admin/groups", {"new-name_nl": "Sporter", "new-name_en": "Athlete"})
    assert response.status_code == 302
    group = db.session.scalar(select(ParticipantGroup).where(ParticipantGroup.name_en == "Athlete"))
    assert group.key == "athlete" and group in group_ops.offered_groups()
    response = auth.post(f"/admin/groups/{group.id}", {f"g{group.id}-name_nl": "Sportclublid",
                                                       f"g{group.id}-name_en": "Sports club member"})
    assert response.status_code == 302 and (group.name_nl, group.name_en) == ("Sportclublid", "Sports club member")
    auth.post(f"/admin/groups/{group.id}/retire")
    assert group.is_retired and group not in group_ops.offered_groups()
    auth.post(f"/admin/groups/{group.id}/restore")
    assert not group.is_retired
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "participant_group")))
    assert actions == {"participant_group.add", "participant_group.rename", "participant_group.retire",
                       "participant_group.restore"}


def test_a_name_twice_is_a_form_error(client, auth, db, admin):
    auth.login(admin)
    response = auth.post("/admin/groups?lang=en", {"new-name_nl": "Jongere", "new-name_en": "Youngster"})
    assert response.status_code == 409 or response.status_code == 422
    assert "There is already a group with this name." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", [None, "user", "chair"])
def test_only_administrators_keep_the_list(client, auth, db, user, chair, who):
    if who:
        auth.login({"user": user, "chair": chair}[who])
    response = client.get("/admin/groups")
    assert response.status_code == (302 if who is None else 403)


def test_groups_are_in_my_data_and_go_with_the_account(app, db, user):
    group_ops.set_groups(user, [_group(db, "parent").id])
    db.session.commit()
    data = json.loads(privacy_ops.to_json(privacy_ops.export_user_data(user)))
    assert [g["key"] for g in data["people"]["groups"]] == ["parent"]
    privacy_ops.delete_account(user, keep_contributions=True, hash_key=app.config["SECRET_KEY"])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(UserGroup)) == 0
