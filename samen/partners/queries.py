"""What the public Partners pages read: the register with each entry's public actions counted, and one
organisation's actions, indicators and meetings. A fixed number of queries whatever the amount of data; public
means public actions and public meetings only (samen/public/queries.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time


from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from samen.actions import operations as action_ops
from samen.actions.models import OPEN_ACTION_STATUSES, ActionItem, Indicator, ProgressUpdate, action_indicators
from samen.core.database import db
from samen.meetings.models import Meeting
from samen.partners.models import ActionOrganisation, Organisation
from samen.public.queries import UpcomingMeeting

FEED_SIZE = 50


@dataclass
class PartnerCounts:
    """An organisation's public actions: as lead, as co-executing, done, and overdue."""

    lead: int = 0
    co: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.co


def counts(today: date) -> dict[int, PartnerCounts]:
    """Return per organisation id the counts of its public actions (one query)."""
    overdue = and_(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < today)
    result: dict[int, PartnerCounts] = defaultdict(PartnerCounts)
    for organisation_id, role, number, done, late in db.session.execute(
            select(ActionOrganisation.organisation_id, ActionOrganisation.role, func.count(),
                   func.coalesce(func.sum(case((ActionItem.status == "done", 1), else_=0)), 0),
                   func.coalesce(func.sum(case((overdue, 1), else_=0)), 0))
            .join(ActionItem, ActionItem.id == ActionOrganisation.action_id).where(ActionItem.public.is_(True))
            .group_by(ActionOrganisation.organisation_id, ActionOrganisation.role)):
        entry = result[organisation_id]
        setattr(entry, role, number)
        entry.done += done
        entry.overdue += late
    return dict(result)


@dataclass
class PartnerPage:
    """What an organisation's public page shows."""

    organisation: Organisation
    actions: list[ActionItem]
    roles: dict[int, str]  # action id → lead | co
    indicators: list[Indicator]
    meetings: list[UpcomingMeeting]
    counts: PartnerCounts = field(default_factory=PartnerCounts)


def partner_page(organisation: Organisation, today: date) -> PartnerPage:
    """Return the organisation's public actions (overdue first), the indicators they serve, and the public
    meetings of their think tanks from today on — eight queries, whatever the numbers."""
    actions = action_ops.list_actions(public_only=True, today=today, organisation=organisation)
    roles = {carrier.action_id: carrier.role for action in actions for carrier in action.carriers
             if carrier.organisation_id == organisation.id}
    ids = [action.id for action in actions]
    indicators = list(db.session.scalars(
        select(Indicator).where(Indicator.id.in_(select(action_indicators.c.indicator_id).where(
            action_indicators.c.action_id.in_(ids)))).options(selectinload(Indicator.measurements),
                                                              selectinload(Indicator.thinktank))
        .order_by(Indicator.name, Indicator.id))) if ids else []
    tank_ids = sorted({action.thinktank_id for action in actions if action.thinktank_id is not None})
    meetings = [UpcomingMeeting(title=meeting.title, starts_at=meeting.starts_at,
                                location=meeting.location or meeting.online_url, url=f"/meetings/{meeting.id}",
                                thinktank=meeting.thinktank) for meeting in db.session.scalars(
        select(Meeting).where(Meeting.public.is_(True), Meeting.thinktank_id.in_(tank_ids),
                              Meeting.state != "closed", Meeting.ends_at >= datetime.combine(today, time.min))
        .options(selectinload(Meeting.thinktank)).order_by(Meeting.starts_at, Meeting.id).limit(10))] \
        if tank_ids else []
    entry = PartnerCounts()
    for action in actions:
        if roles.get(action.id) == "lead":
            entry.lead += 1
        else:
            entry.co += 1
        entry.done += action.status == "done"
        entry.overdue += action.is_overdue(today)
    return PartnerPage(organisation, actions, roles, indicators, meetings, entry)


def feed_updates(organisation: Organisation, limit: int = FEED_SIZE) -> list[ProgressUpdate]:
    """Return the newest progress updates of the organisation's public actions (two queries)."""
    return list(db.session.scalars(
        select(ProgressUpdate).join(ActionItem, ActionItem.id == ProgressUpdate.action_id)
        .where(ActionItem.public.is_(True), ActionItem.id.in_(select(ActionOrganisation.action_id).where(
            ActionOrganisation.organisation_id == organisation.id)))
        .options(selectinload(ProgressUpdate.action).selectinload(ActionItem.thinktank))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()).limit(limit)))


def organisations_of(actions: list[ActionItem]) -> list[tuple[Organisation, list[tuple[ActionItem, str]]]]:
    """Group loaded actions (with their carriers) per organisation, by name: the report's section per partner."""
    grouped: dict[int, tuple[Organisation, list[tuple[ActionItem, str]]]] = {}
    for action in actions:
        for carrier in action.carriers:
            grouped.setdefault(carrier.organisation_id, (carrier.organisation, []))[1].append((action, carrier.role))
    return sorted(grouped.values(), key=lambda pair: (pair[0].name.lower(), pair[0].id))


