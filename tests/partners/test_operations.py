"""The register and the actions carried by partners: who may update, reminders, merging, archiving, requests."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.models import ActionItem
from samen.audit.models import AuditEntry
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.notifications.models import Notification
from samen.partners import operations as ops
from samen.partners.models import ActionOrganisation, OrganisationContact
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

TODAY = date.today()


# --- the register ---------------------------------------------------------------------------------------------

def test_an_entry_has_a_slug_and_its_name_once(police, admin, create_organisation, db):
    assert police.slug == "politie-nijkerk" and police.kind == "police"
    with pytest.raises(Conflict):
        ops.create_organisation(by=admin, name="  politie   NIJKERK ")
    with pytest.raises(DomainError) as error:
        ops.create_organisation(by=admin, name="Sportclub", website="javascript:alert(1)")
    assert error.value.field == "website"
    with pytest.raises(DomainError):
        ops.create_organisation(by=admin, name="Sportclub", kind="bakery")
    assert create_organisation("Register").slug == "register-2"  # /partners/register is the register's page


def test_only_administrators_and_the_coordinator_keep_the_register(user, db):
    with pytest.raises(Forbidden):
        ops.create_organisation(by=user, name="Halt")
    from samen.programme.models import PlanRole
    db.session.add(PlanRole(user_id=user.id, role="coordinator"))
    db.session.commit()
    from samen.programme.roles import forget_plan_roles
    forget_plan_roles()
    assert ops.create_organisation(by=user, name="Halt").name == "Halt"


def test_a_rename_is_audited_and_the_people_follow(police, admin, contact_of, db):
    agent = contact_of(police)
    ops.update_organisation(police, by=admin, name="Politie Oost-Nederland")
    db.session.commit()
    db.session.refresh(agent)
    assert agent.organisation == "Politie Oost-Nederland"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "organisation",
                                                                AuditEntry.subject_id == police.id))
    assert "organisation.update" in set(actions)


def test_a_request_approved_by_a_colleague_notifies_the_requester(police, contact_of, create_user, db):
    colleague = contact_of(police)
    newcomer = create_user(display_name="Nieuwe agent")
    contact = ops.request_contact(police, user=newcomer)
    db.session.commit()
    assert not contact.is_active
    assert "organisation_contact_request" in set(db.session.scalars(
        select(Notification.kind).where(Notification.user_id == colleague.id)))
    with pytest.raises(Forbidden):
        ops.approve_contact(contact, by=newcomer)  # not yourself
    ops.approve_contact(contact, by=colleague)
    db.session.commit()
    assert contact.is_active and contact.approved_by_id == colleague.id
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == newcomer.id)) \
        == "organisation_contact_approved"
    assert newcomer.organisation == "Politie Nijkerk"


def test_an_archived_entry_is_not_offered_but_its_actions_keep_it(police, halt, admin, partner_action, db):
    action = partner_action(lead=police)
    ops.archive_organisation(police, by=admin)
    db.session.commit()
    assert police not in ops.offered_organisations() and police in ops.list_organisations(archived=True)
    with pytest.raises(DomainError):
        partner_action(lead=police)
    action_ops.update_action(action, by=admin, co=[halt])  # the archived lead stays
    db.session.commit()
    assert [(c.organisation_id, c.role) for c in action.carriers] == [(police.id, "lead"), (halt.id, "co")]


def test_merging_moves_contacts_actions_and_people(create_organisation, admin, contact_of, partner_action, db):
    ggd = create_organisation("GGD")
    full = create_organisation("GGD Gelderland-Midden", kind="other")
    assert [(p.first.name, p.second.name, p.reason) for p in ops.possible_duplicates()] == [
        ("GGD", "GGD Gelderland-Midden", "prefix")]
    sophie, bram = contact_of(ggd), contact_of(full)
    both = contact_of(ggd)
    ops.add_contact(full, both, by=admin)
    led = partner_action(lead=ggd, lead_contact=sophie)
    shared = partner_action(title="Samen", lead=ggd, co=[full])
    only_co = partner_action(title="Mee", co=[ggd])
    ops.merge_organisations(ggd, full, by=admin)
    db.session.commit()
    assert ggd.merged_into_id == full.id and ggd.is_archived
    assert {c.user_id for c in ops.contacts_of(full)} == {sophie.id, bram.id, both.id}
    for action, role in ((led, "lead"), (shared, "lead"), (only_co, "co")):
        db.session.refresh(action)
        assert [(c.organisation_id, c.role) for c in action.carriers] == [(full.id, role)], action.title
    assert led.carriers[0].contact_user_id == sophie.id
    assert db.session.get(User, sophie.id).organisation == "GGD Gelderland-Midden"
    assert ops.possible_duplicates() == []
    assert ops.final_entry(ggd) == full


# --- who may update an action: roles × actions ------------------------------------------------------------------

ROLES = ("owner", "chair", "admin", "lead_contact", "co_contact", "pending_contact", "member", "outsider",
         "other_contact")
ACTIONS = {
    # the action's carriers → who may post updates and tick milestones
    "lead_and_co": {"owner", "chair", "admin", "lead_contact", "co_contact"},
    "co_only": {"chair", "admin", "co_contact"},
    "owner_only": {"owner", "chair", "admin"},
}


@pytest.fixture
def people(police, halt, create_organisation, contact_of, create_user, chair, admin, member, db) -> dict[str, Any]:
    other = create_organisation("Woningcorporatie")
    pending = create_user(display_name="Wacht nog")
    ops.request_contact(halt, user=pending)
    db.session.commit()
    return {"owner": create_user(display_name="Ervaringsdeskundige"), "chair": chair, "admin": admin,
            "lead_contact": contact_of(police), "co_contact": contact_of(halt), "pending_contact": pending,
            "member": member, "outsider": create_user(display_name="Buitenstaander"),
            "other_contact": contact_of(other)}


@pytest.fixture
def actions(people, police, halt, partner_action) -> dict[str, ActionItem]:
    return {
        "lead_and_co": partner_action(title="Beide", owner=people["owner"], lead=police, co=[halt]),
        "co_only": partner_action(title="Alleen mee", co=[halt]),
        "owner_only": partner_action(title="Persoon", owner=people["owner"]),
    }


@pytest.mark.parametrize("kind", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_update_an_action(people, actions, role, kind, db):
    action, user = actions[kind], people[role]
    allowed = role in ACTIONS[kind]
    assert action_ops.can_update(action, user) is allowed
    if allowed:
        action_ops.post_update(action, by=user, body=f"Stand van zaken door {role}", progress=40)
        milestone = action_ops.add_milestone(action, by=user, title="Eerste stap")
        action_ops.set_milestone_done(milestone, by=user, done=True)
        db.session.commit()
        assert action.progress == 99  # every milestone ticked, the action not yet done (milestone_progress)
        assert action.milestones[0].done_at is not None
    else:
        with pytest.raises(Forbidden):
            action_ops.post_update(action, by=user, body="Mag dit?")
        with pytest.raises(Forbidden):
            action_ops.add_milestone(action, by=user, title="Stap")


def test_a_co_executing_contact_may_see_an_internal_action(people, halt, partner_action, db):
    internal = partner_action(title="Intern", co=[halt], public=False)
    assert action_ops.can_view(internal, people["co_contact"])
    assert not action_ops.can_view(internal, people["outsider"])
    listed = action_ops.list_actions(viewer=people["co_contact"])
    assert internal in listed and internal not in action_ops.list_actions(viewer=people["outsider"])


def test_a_contact_must_be_an_active_contact_of_its_organisation(people, police, halt, partner_action):
    with pytest.raises(DomainError) as error:
        partner_action(lead=police, lead_contact=people["co_contact"])
    assert error.value.code == "contact"
    with pytest.raises(DomainError):
        partner_action(lead=police, co=[police])  # twice


def test_moving_the_lead_keeps_one_lead(people, police, halt, partner_action, admin, db):
    action = partner_action(lead=police, co=[halt])
    action_ops.update_action(action, by=admin, lead=halt, lead_contact=None, co=[police])
    db.session.commit()
    db.session.refresh(action)
    assert [(c.organisation_id, c.role) for c in action.carriers] == [(halt.id, "lead"), (police.id, "co")]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "action",
                                                        AuditEntry.action == "action.update")).all()[-1]
    assert "carriers" in entry.data["changes"]


# --- reminders ------------------------------------------------------------------------------------------------

def test_reminders_reach_someone_for_every_overdue_action(people, police, halt, partner_action, create_thinktank,
                                                          admin, db):
    late = TODAY - timedelta(days=2)
    named = people["lead_contact"]
    cases = {
        "owner": partner_action(title="Eigenaar", owner=people["owner"], due_date=late, start_date=None),
        "lead": partner_action(title="Leider", lead=police, due_date=late, start_date=None),
        "lead_named": partner_action(title="Genoemd", lead=police, lead_contact=named, due_date=late,
                                     start_date=None),
        "co_only": partner_action(title="Alleen mee", co=[halt], due_date=late, start_date=None),
        "nobody": partner_action(title="Niemand", due_date=late, start_date=None),
    }
    chairless = create_thinktank(name="Zonder voorzitter", slug="zonder")
    cases["no_chairs"] = action_ops.create_action(chairless, by=admin, title="Wees", due_date=late)
    db.session.commit()
    due = [action for action, kind, _day in action_ops.due_reminders(TODAY, stale_weeks=0) if kind == "overdue"]
    recipients = action_ops.reminder_recipients(due)
    overdue = db.session.scalars(select(ActionItem).where(ActionItem.due_date < TODAY,
                                                          ActionItem.status.in_(["planned", "in_progress"])))
    assert {action.id for action in overdue} == {action.id for action in due}
    assert all(recipients[action.id] for action in due), "an overdue action reminds nobody"
    ids = {name: {user.id for user in recipients[action.id]} for name, action in cases.items()}
    assert ids["owner"] == {people["owner"].id}
    assert ids["lead"] == {named.id}  # the lead organisation's active contacts
    assert ids["lead_named"] == {named.id}
    assert ids["co_only"] == ids["nobody"] == {people["chair"].id}  # nobody answers for it: the chairs
    assert ids["no_chairs"] == {admin.id}


def test_sending_goes_to_every_recipient_once(people, police, partner_action, db):
    action = partner_action(title="Te laat", owner=people["owner"], lead=police, due_date=TODAY - timedelta(days=1),
                            start_date=None)
    sent: list[tuple[int, str, set[int]]] = []
    assert action_ops.send_reminders(TODAY, lambda a, kind, to: sent.append((a.id, kind, {u.id for u in to})),
                                     stale_weeks=0) == 1
    assert sent == [(action.id, "overdue", {people["owner"].id, people["lead_contact"].id})]


def test_an_action_without_updates_for_weeks_reminds_once(people, police, partner_action, db):
    action = partner_action(title="Stil", lead=police, due_date=None)
    action.created_at = action.created_at - timedelta(weeks=7)
    db.session.commit()
    kinds: list[str] = []
    assert action_ops.send_reminders(TODAY, lambda a, kind, to: kinds.append(kind), stale_weeks=6) == 1
    assert kinds == ["stale"]
    assert action_ops.send_reminders(TODAY, lambda a, kind, to: kinds.append(kind), stale_weeks=6) == 0
    action_ops.post_update(action, by=people["lead_contact"], body="Weer bezig")
    db.session.commit()
    assert action_ops.send_reminders(TODAY, lambda a, kind, to: kinds.append(kind), stale_weeks=6) == 0


# --- how the owner appears ------------------------------------------------------------------------------------

def test_the_public_name_of_who_carries_it(people, police, halt, partner_action, admin, app, db):
    owner = people["owner"]
    with force_locale("en"):
        _names_in_english(owner, police, halt, partner_action)


def _names_in_english(owner, police, halt, partner_action):
    assert action_ops.carried_by(partner_action(lead=police, co=[halt])) == "Politie Nijkerk (lead), Halt"
    assert action_ops.carried_by(partner_action(lead=police, owner=owner)) == "Politie Nijkerk"
    assert action_ops.carried_by(partner_action(owner=owner)) == "a participant"
    assert action_ops.carried_by(partner_action(owner=owner, owner_public_as="name")) == owner.display_name
    assert action_ops.carried_by(partner_action(lead=halt, owner=owner, owner_public_as="name")) \
        == f"Halt, {owner.display_name}"
    assert action_ops.carried_by(partner_action()) is None
    with pytest.raises(DomainError):
        partner_action(owner=owner, owner_public_as="nickname")


def test_counts(db):
    assert db.session.scalar(select(func.count()).select_from(ActionOrganisation)) == 0
    assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 0
    assert tt_ops is not None
