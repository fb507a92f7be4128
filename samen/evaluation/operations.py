"""The yearly evaluation: open one for a period, write conclusions and decisions, send the partner pulse and take
its answers, publish (freeze) it, and compare it with the previous one.

Who may do what (one place; views, the API and the CLI ask these functions):
- the coordinator (and administrators, samen/programme/roles.is_coordinator) open, publish, send the pulse, and
  write any conclusion or decision;
- chairs see drafts and the pulse's answers, and write the conclusion of their own think tank and the decisions
  on it and on its actions;
- everyone sees a published evaluation; nobody but the chairs and the coordinator sees a single pulse answer.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from samen.actions.models import ActionItem, Indicator, Measurement
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.evaluation import assembly
from samen.evaluation.models import (DECISIONS, NOTE_SUBJECTS, PULSE_QUESTIONS, Evaluation, EvaluationNote,
                                     PulseInvitation)
from samen.partners.models import Organisation, OrganisationContact
from samen.programme.models import Line
from samen.programme.roles import is_coordinator
from samen.thinktanks.models import Membership, ThinkTank

PERIOD = re.compile(r"[0-9]{4}(?:-[a-z0-9]{1,12})?")
PERIOD_MAX_DAYS = 2 * 366
TEXT_MAX = 5_000
ANSWER_MAX = 2_000
PULSE_INDICATOR = "Samenwerking partners (1–10)"
PULSE_SCALE = (1.0, 10.0)  # the pulse's score: its indicator is a qualitative one on this scale
REMINDER_AFTER = timedelta(days=7)
MAX_REMINDERS = 2

DECISION_LABELS = {
    "scale_up": _l("Scale up"),
    "continue": _l("Continue"),
    "scale_down": _l("Scale down"),
    "stop": _l("Stop"),
}
NOT_ALLOWED = _l("Only the coordinator can do this.")
FROZEN = _l("This evaluation is published and can no longer be changed.")


# --- who may do what ---------------------------------------------------------------------------------------------

def chaired_thinktanks(user: Any) -> set[int]:
    """Return the ids of the think tanks the user chairs (active): one query, none for visitors."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Membership.thinktank_id).where(
        Membership.user_id == user.id, Membership.role == "chair", Membership.status == "active")))


@dataclass(frozen=True)
class Access:
    """What one person may do with evaluations: computed once per request (two queries at most)."""

    coordinator: bool
    chaired: frozenset[int]

    @property
    def is_insider(self) -> bool:
        """Sees drafts and the pulse's single answers: the coordinator and every chair."""
        return self.coordinator or bool(self.chaired)

    def may_write(self, subject_type: str, subject_id: int, *, thinktank_id: int | None = None) -> bool:
        """May write the conclusion or decision on this line, think tank or action (`thinktank_id`: the
        action's think tank)."""
        if self.coordinator:
            return True
        if subject_type == "thinktank":
            return subject_id in self.chaired
        if subject_type == "action":
            return thinktank_id is not None and thinktank_id in self.chaired
        return False


def access_of(user: Any) -> Access:
    """Return what the user may do with evaluations."""
    if not getattr(user, "is_authenticated", False):
        return Access(False, frozenset())
    return Access(is_coordinator(user), frozenset(chaired_thinktanks(user)))


def require_coordinator(user: Any) -> None:
    if not is_coordinator(user):
        raise Forbidden(NOT_ALLOWED, code="not_coordinator")


def may_see(evaluation: Evaluation, access: Access) -> bool:
    """A published evaluation is for everyone; a draft for the coordinator and the chairs."""
    return evaluation.is_published or access.is_insider


# --- loading ----------------------------------------------------------------------------------------------------

def get_evaluation(period: str) -> Evaluation | None:
    """Return the evaluation of a period by its address, or None."""
    if not isinstance(period, str) or not PERIOD.fullmatch(period):
        return None
    return db.session.scalar(select(Evaluation).where(Evaluation.period == period))


def list_evaluations(*, drafts: bool) -> list[Evaluation]:
    """Return the evaluations, newest period first (drafts only when asked)."""
    stmt = select(Evaluation).order_by(Evaluation.start_date.desc(), Evaluation.id.desc())
    if not drafts:
        stmt = stmt.where(Evaluation.status == "published")
    return list(db.session.scalars(stmt))


def previous_of(evaluation: Evaluation) -> Evaluation | None:
    """Return the published evaluation this one compares with: the latest that ended before it began."""
    return db.session.scalar(
        select(Evaluation).where(Evaluation.status == "published", Evaluation.end_date < evaluation.start_date)
        .order_by(Evaluation.end_date.desc(), Evaluation.id.desc()).limit(1))


def figures_of(evaluation: Evaluation, *, threshold: int, today: date | None = None) -> dict[str, Any]:
    """Return the figures: frozen once published, else assembled now."""
    if evaluation.is_published and evaluation.figures is not None:
        return evaluation.figures
    return assembly.assemble(evaluation.start_date, evaluation.end_date, evaluation_id=evaluation.id,
                             threshold=threshold, today=today)


def compared(evaluation: Evaluation, *, threshold: int) -> tuple[dict[str, Any], Evaluation | None, dict[str, float]]:
    """Return the figures, the previous published evaluation, and the difference of every figure with it."""
    figures = figures_of(evaluation, threshold=threshold)
    previous = previous_of(evaluation)
    return figures, previous, assembly.compare(figures, previous.figures if previous is not None else None)


def open_data(evaluation: Evaluation, *, threshold: int) -> dict[str, Any]:
    """Return an evaluation as open data (the page's JSON and the API's)."""
    figures, previous, deltas = compared(evaluation, threshold=threshold)
    return {
        "period": evaluation.period, "title": evaluation.title,
        "start_date": evaluation.start_date.isoformat(), "end_date": evaluation.end_date.isoformat(),
        "status": evaluation.status,
        "published_at": (evaluation.published_at.isoformat(timespec="seconds") + "Z"
                         if evaluation.published_at else None),
        "figures": figures, "notes": notes_json(evaluation),
        "previous_period": previous.period if previous is not None else None,
        "differences": deltas,
    }


def notes_of(evaluation: Evaluation) -> dict[tuple[str, str, int], EvaluationNote]:
    """Return the conclusions and decisions by (kind, subject type, subject id): one query."""
    return {(note.kind, note.subject_type, note.subject_id): note for note in db.session.scalars(
        select(EvaluationNote).where(EvaluationNote.evaluation_id == evaluation.id))}


def notes_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Return the conclusions and decisions as open data (no author names: the roles write them)."""
    return [{"kind": note.kind, "subject_type": note.subject_type, "subject_id": note.subject_id,
             "decision": note.decision, "text": note.text}
            for note in sorted(notes_of(evaluation).values(),
                               key=lambda n: (n.subject_type, n.subject_id, n.kind))]


# --- opening, writing, publishing ----------------------------------------------------------------------------------

def open_evaluation(*, by: Any, period: Any, title: Any, start_date: Any, end_date: Any) -> Evaluation:
    """Open the evaluation of a period (the coordinator and administrators)."""
    require_coordinator(by)
    period = inputs.line(period, field="period", maximum=20, required=True, label=_l("Period")).lower()
    if not PERIOD.fullmatch(period):
        raise DomainError(_l("Name the period with its year, e.g. 2026 or 2026-h1 (lower-case letters and "
                             "digits after the hyphen)."), field="period", code="invalid_period")
    title = inputs.line(title, field="title", maximum=200, required=True, label=_l("Title"))
    start = inputs.day(start_date, field="start_date")
    end = inputs.day(end_date, field="end_date")
    if start is None:
        raise DomainError(_l("Enter the first day of the period."), field="start_date", code="required")
    if end is None:
        raise DomainError(_l("Enter the last day of the period."), field="end_date", code="required")
    if end < start:
        raise DomainError(_l("The period cannot end before it starts."), field="end_date", code="dates")
    if (end - start).days > PERIOD_MAX_DAYS:
        raise DomainError(_l("A period is at most two years long."), field="end_date", code="dates")
    if get_evaluation(period) is not None:
        raise Conflict(_l("There is already an evaluation for this period."), field="period", code="exists")
    evaluation = Evaluation(period=period, title=title, start_date=start, end_date=end, opened_by_id=by.id)
    db.session.add(evaluation)
    db.session.flush()
    record(by, "evaluation.open", "evaluation", evaluation.id, period=period)
    return evaluation


def _subject_thinktank(subject_type: str, subject_id: int) -> tuple[bool, int | None]:
    """Return whether the subject exists, and its think tank (for an action)."""
    if subject_type == "line":
        return db.session.get(Line, subject_id) is not None, None
    if subject_type == "thinktank":
        return db.session.get(ThinkTank, subject_id) is not None, subject_id
    action = db.session.get(ActionItem, subject_id)
    return action is not None, action.thinktank_id if action is not None else None


def write_note(evaluation: Evaluation, *, by: Any, kind: str, subject_type: str, subject_id: int,
               text: Any, decision: Any = None) -> EvaluationNote | None:
    """Write (or replace; empty text removes it) a conclusion on a line or think tank, or a decision on a think
    tank or action with its reason. The coordinator writes any; a chair those of their own think tank."""
    if evaluation.is_published:
        raise Conflict(FROZEN, code="published")
    if subject_type not in NOTE_SUBJECTS or kind not in ("conclusion", "decision") or (
            kind == "conclusion" and subject_type == "action") or (kind == "decision" and subject_type == "line"):
        raise DomainError(_l("There is nothing to write here."), code="invalid_subject")
    exists, thinktank_id = _subject_thinktank(subject_type, subject_id)
    if not exists:
        raise DomainError(_l("There is nothing to write here."), code="invalid_subject")
    if not access_of(by).may_write(subject_type, subject_id, thinktank_id=thinktank_id):
        raise Forbidden(_l("Only the coordinator, and the chairs for their own think tank, write this."),
                        code="not_allowed")
    text = inputs.body(text, field="text", maximum=TEXT_MAX, label=_l("Conclusion") if kind == "conclusion"
                       else _l("Reason"))
    if kind == "decision":
        if decision in (None, "") and not text:
            decision = None
        elif decision not in DECISIONS:
            raise DomainError(_l("Choose a decision."), field="decision", code="invalid_decision")
        elif not text:
            raise DomainError(_l("Give the reason for the decision."), field="text", code="required")
    else:
        decision = None
    note = db.session.scalar(select(EvaluationNote).where(
        EvaluationNote.evaluation_id == evaluation.id, EvaluationNote.kind == kind,
        EvaluationNote.subject_type == subject_type, EvaluationNote.subject_id == subject_id))
    if not text and decision is None:
        if note is not None:
            db.session.delete(note)
            record(by, f"evaluation.{kind}.delete", "evaluation", evaluation.id, subject=f"{subject_type}:{subject_id}")
        return None
    if note is None:
        note = EvaluationNote(evaluation_id=evaluation.id, kind=kind, subject_type=subject_type,
                              subject_id=subject_id)
        db.session.add(note)
    note.text, note.decision, note.author_id, note.updated_at = text, decision, by.id, utcnow()
    db.session.flush()
    record(by, f"evaluation.{kind}", "evaluation", evaluation.id, subject=f"{subject_type}:{subject_id}",
           decision=decision)
    return note


def pulse_indicator(evaluation: Evaluation, *, by: Any) -> Indicator:
    """Return the qualitative indicator the pulse's average is measured in: the evaluation's, else the one by
    its name, else a new one for the whole plan."""
    indicator = db.session.get(Indicator, evaluation.pulse_indicator_id) if evaluation.pulse_indicator_id else None
    if indicator is None:
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == PULSE_INDICATOR,
                                                              Indicator.thinktank_id.is_(None)).limit(1))
    if indicator is None:
        indicator = Indicator(name=PULSE_INDICATOR, unit="cijfer", direction="up", kind="scale",
                              scale_min=PULSE_SCALE[0], scale_max=PULSE_SCALE[1],
                              source="Partnerpeiling (jaarlijkse evaluatie)",
                              description="Hoe goed werken de partners samen, gemiddeld, op een schaal van 1 tot "
                                          "10: de jaarlijkse peiling onder de contactpersonen van de partners.")
        db.session.add(indicator)
        db.session.flush()
        record(by, "indicator.create", "indicator", indicator.id, name=indicator.name)
    elif indicator.kind == "number" and evaluation.pulse_indicator_id is None and indicator.name == PULSE_INDICATOR:
        # Made before indicators had kinds: the pulse's score is a qualitative indicator, drawn on its 1–10 scale.
        # Only when no measurement lies off the scale (someone may have used the name for something else).
        off_scale = db.session.scalar(select(func.count()).select_from(Measurement).where(
            Measurement.indicator_id == indicator.id,
            (Measurement.value < PULSE_SCALE[0]) | (Measurement.value > PULSE_SCALE[1])))
        if not off_scale:
            changes = {"kind": ["number", "scale"], "scale_min": [indicator.scale_min, PULSE_SCALE[0]],
                       "scale_max": [indicator.scale_max, PULSE_SCALE[1]]}
            indicator.kind, indicator.scale_min, indicator.scale_max = "scale", *PULSE_SCALE
            record(by, "indicator.update", "indicator", indicator.id, changes=changes)
    evaluation.pulse_indicator_id = indicator.id
    return indicator


def publish(evaluation: Evaluation, *, by: Any, threshold: int, today: date | None = None) -> Evaluation:
    """Freeze the evaluation's figures as they are now and publish it (the coordinator); the pulse's average
    becomes a measurement of its indicator on the period's last day."""
    require_coordinator(by)
    if evaluation.is_published:
        raise Conflict(FROZEN, code="published")
    figures = assembly.assemble(evaluation.start_date, evaluation.end_date, evaluation_id=evaluation.id,
                                threshold=threshold, today=today)
    average = figures["pulse"]["average"]
    if average is not None:
        indicator = pulse_indicator(evaluation, by=by)
        db.session.execute(Measurement.__table__.delete().where(
            Measurement.indicator_id == indicator.id, Measurement.date == evaluation.end_date))
        db.session.add(Measurement(indicator_id=indicator.id, date=evaluation.end_date, value=average,
                                   note=f"Partnerpeiling {evaluation.period}: {figures['pulse']['answered']} "
                                        "antwoorden", created_by_id=by.id))
    evaluation.figures = figures
    evaluation.status = "published"
    evaluation.published_at = utcnow()
    evaluation.published_by_id = by.id
    db.session.flush()
    record(by, "evaluation.publish", "evaluation", evaluation.id, period=evaluation.period)
    return evaluation


# --- the partner pulse -----------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Sent:
    """An invitation just made or renewed, with the token for its personal link (never stored as it is)."""

    invitation: PulseInvitation
    token: str


def send_pulse(evaluation: Evaluation, *, by: Any, now: datetime | None = None) -> list[Sent]:
    """Invite every active contact of every partner organisation (not archived or merged) who was not invited
    yet; return the new invitations with their tokens, for the caller to mail (the coordinator)."""
    require_coordinator(by)
    if evaluation.is_published:
        raise Conflict(FROZEN, code="published")
    now = now or utcnow()
    invited = {(org_id, user_id) for org_id, user_id in db.session.execute(
        select(PulseInvitation.organisation_id, PulseInvitation.user_id).where(
            PulseInvitation.evaluation_id == evaluation.id))}
    contacts = db.session.execute(
        select(OrganisationContact.organisation_id, OrganisationContact.user_id)
        .join(Organisation, Organisation.id == OrganisationContact.organisation_id)
        .where(OrganisationContact.status == "active", Organisation.archived_at.is_(None),
               Organisation.merged_into_id.is_(None))
        .order_by(OrganisationContact.organisation_id, OrganisationContact.user_id)).all()
    sent = []
    for org_id, user_id in contacts:
        if (org_id, user_id) in invited:
            continue
        token = secrets.token_urlsafe(32)
        invitation = PulseInvitation(evaluation_id=evaluation.id, organisation_id=org_id, user_id=user_id,
                                     token_hash=token_hash(token), sent_at=now)
        db.session.add(invitation)
        sent.append(Sent(invitation, token))
    evaluation.pulse_sent_at = evaluation.pulse_sent_at or now
    db.session.flush()
    record(by, "evaluation.pulse_sent", "evaluation", evaluation.id, invitations=len(sent))
    return sent


def due_reminders(*, now: datetime | None = None) -> list[PulseInvitation]:
    """Return every unanswered invitation of a draft evaluation that waited a week since it was sent or last
    reminded (twice at most)."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(PulseInvitation).join(Evaluation, Evaluation.id == PulseInvitation.evaluation_id)
        .where(Evaluation.status == "draft", PulseInvitation.answered_at.is_(None),
               PulseInvitation.user_id.is_not(None), PulseInvitation.reminders < MAX_REMINDERS,
               func.coalesce(PulseInvitation.reminded_at, PulseInvitation.sent_at) <= now - REMINDER_AFTER)
        .options(joinedload(PulseInvitation.evaluation), joinedload(PulseInvitation.organisation),
                 joinedload(PulseInvitation.user))
        .order_by(PulseInvitation.id)))


def renew(invitation: PulseInvitation, *, now: datetime | None = None) -> Sent:
    """Give a reminded invitation a new personal link (the old one stops working); call it once the reminder
    with the new link has gone out, so that a mail that failed leaves the old link working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.reminded_at = now or utcnow()
    invitation.reminders += 1
    return Sent(invitation, token)


def link_state(token: Any) -> tuple[str, PulseInvitation | None]:
    """Return what a personal link leads to: ("open", the invitation) while it may be answered, ("answered",
    None) once it was (a form sent again after a lost answer is thanked, not refused), else ("unknown", None)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return "unknown", None
    found = db.session.execute(
        select(PulseInvitation, Evaluation.status).join(Evaluation, Evaluation.id == PulseInvitation.evaluation_id)
        .where(PulseInvitation.token_hash == token_hash(token))).first()
    if found is None:
        return "unknown", None
    invitation, status = found
    if invitation.answered_at is not None:
        return "answered", None
    return ("open", invitation) if status == "draft" else ("unknown", None)


def invitation_by_token(token: Any) -> PulseInvitation | None:
    """Return the unanswered invitation of a draft evaluation that a personal link names, or None."""
    state, invitation = link_state(token)
    return invitation if state == "open" else None


def open_invitations(user: Any) -> list[PulseInvitation]:
    """Return the user's unanswered invitations of draft evaluations (to answer in the app): one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(PulseInvitation).join(Evaluation, Evaluation.id == PulseInvitation.evaluation_id)
        .where(PulseInvitation.user_id == user.id, PulseInvitation.answered_at.is_(None),
               Evaluation.status == "draft")
        .options(joinedload(PulseInvitation.evaluation), joinedload(PulseInvitation.organisation))
        .order_by(PulseInvitation.id)))


def answer_pulse(invitation: PulseInvitation, *, score: Any, works: Any = "", does_not_work: Any = "",
                 obstacles: Any = "", now: datetime | None = None) -> PulseInvitation:
    """Take a contact's answer; the link then takes no other (the row is claimed with one UPDATE, so two
    answers at once cannot both count)."""
    value = inputs.whole(score, field="score", minimum=1, maximum=10,
                         message=_l("Give a score from 1 to 10."))
    texts = {name: inputs.body(text, field=name, maximum=ANSWER_MAX)
             for name, text in zip(PULSE_QUESTIONS, (works, does_not_work, obstacles), strict=True)}
    claimed = db.session.execute(
        update(PulseInvitation).where(PulseInvitation.id == invitation.id, PulseInvitation.answered_at.is_(None))
        .values(answered_at=now or utcnow())).rowcount
    if not claimed:
        raise Conflict(_l("This questionnaire has already been answered."), code="answered")
    db.session.refresh(invitation)
    invitation.score = value
    for name, text in texts.items():
        setattr(invitation, name, text)
    db.session.flush()
    return invitation


@dataclass
class PulseSummary:
    """The pulse's answers for the chairs and the coordinator: every answer, and the free texts grouped per
    question and per kind of organisation."""

    answers: list[PulseInvitation]
    by_question: dict[str, dict[str, list[tuple[str, str]]]]  # question → kind → [(organisation, text)]
    invited: int


def pulse_answers(evaluation: Evaluation, *, by: Any) -> PulseSummary:
    """Return the pulse's answers (the chairs and the coordinator); the read is audited: 1 query."""
    if not access_of(by).is_insider:
        raise Forbidden(_l("Only the chairs and the coordinator see the answers."), code="not_allowed")
    invitations = list(db.session.scalars(
        select(PulseInvitation).where(PulseInvitation.evaluation_id == evaluation.id)
        .options(joinedload(PulseInvitation.organisation))
        .order_by(PulseInvitation.organisation_id, PulseInvitation.id)))
    answers = [invitation for invitation in invitations if invitation.answered_at is not None]
    by_question: dict[str, dict[str, list[tuple[str, str]]]] = {name: defaultdict(list) for name in PULSE_QUESTIONS}
    for answer in answers:
        for name in PULSE_QUESTIONS:
            text = getattr(answer, name)
            if text:
                by_question[name][answer.organisation.kind].append((answer.organisation.name, text))
    record(by, "evaluation.pulse_read", "evaluation", evaluation.id, answers=len(answers))
    return PulseSummary(answers=answers, by_question={q: dict(kinds) for q, kinds in by_question.items()},
                        invited=len(invitations))
