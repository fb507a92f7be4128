"""The privacy hooks of the features below privacy: accounts, think tanks, ideas, actions, notifications, audit.

Each exporter returns only rows that belong to the user (their own profile, what they wrote, did or received),
never another person's name, e-mail address or anonymous idea. Each eraser runs before the account row is
deleted; the foreign keys then do the rest (ON DELETE CASCADE for what is only the user's, SET NULL for what
stays as the work of 'a deleted participant').
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased, selectinload

from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken, User, UserSession
from samen.actions.models import ActionItem, Indicator, Measurement, ProgressUpdate
from samen.audit.models import AuditEntry
from samen.core.database import db, utcnow
from samen.ideas.models import Comment, Idea, IdeaVersion, Report, StatusChange, Support
from samen.notifications.models import Notification
from samen.privacy.registry import register, retention_cutoff
from samen.thinktanks.models import Membership, ThinkTank

_CHUNK = 200  # ids per statement, well under every database's limit on bound parameters


def _count(statement: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


# --- account: profile, sessions, API tokens --------------------------------------------------------------------

def export_account(user: User) -> dict[str, Any]:
    """Return the profile and the metadata of the user's sessions and API tokens (never their secrets)."""
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                  .order_by(UserSession.created_at, UserSession.id))
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at, ApiToken.id))
    return {
        "profile": {
            "id": user.id, "email": user.email, "display_name": user.display_name, "kind": user.kind,
            "organisation": user.organisation, "is_admin": user.is_admin, "language": user.locale,
            "email_digest": user.digest, "created_at": user.created_at,
            "email_confirmed_at": user.email_confirmed_at, "terms_accepted_at": user.terms_accepted_at,
            "terms_version": user.terms_version, "under_16": user.under_16,
        },
        "sessions": [{"signed_in_at": s.created_at, "last_seen_at": s.last_seen_at, "browser": s.user_agent}
                     for s in sessions],
        "api_tokens": [{"name": t.name, "created_at": t.created_at, "last_used_at": t.last_used_at,
                        "expires_at": t.expires_at} for t in tokens],
    }


def erase_account(user: User, *, keep_contributions: bool) -> dict[str, int]:
    """End every session, API token and live connection of the user at once (account_ops.end_everything)."""
    ended = account_ops.end_everything(user)
    return {"sessions ended": ended["sessions_ended"], "API tokens revoked": ended["api_tokens_revoked"]}


def retain_sessions(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove sessions idle for longer than a remember-me cookie lives: they can no longer sign anyone in."""
    lifetime = settings.get("REMEMBER_COOKIE_DURATION")
    if not lifetime:
        return {}
    stale = UserSession.last_seen_at < now - lifetime
    if dry_run:
        return {"sessions idle too long": _count(select(UserSession.id).where(stale))}
    return {"sessions idle too long": db.session.execute(delete(UserSession).where(stale)).rowcount}


# --- think tanks: memberships ----------------------------------------------------------------------------------

def export_thinktanks(user: User) -> list[dict[str, Any]]:
    """Return the user's memberships: think tank, role, status, since when."""
    rows = db.session.execute(select(Membership, ThinkTank.slug, ThinkTank.name)
                              .join(ThinkTank, ThinkTank.id == Membership.thinktank_id)
                              .where(Membership.user_id == user.id).order_by(Membership.created_at, Membership.id))
    return [{"thinktank": slug, "thinktank_name": name, "role": m.role, "status": m.status,
             "since": m.created_at} for m, slug, name in rows]


def erase_thinktanks(user: User, *, keep_contributions: bool) -> dict[str, int]:
    """Leave every think tank."""
    return {"memberships ended": db.session.execute(delete(Membership).where(Membership.user_id == user.id)).rowcount}


# --- ideas: ideas with versions, comments, supports, reports, decisions ----------------------------------------

def export_ideas(user: User) -> dict[str, Any]:
    """Return the user's ideas (with earlier versions, also the anonymous ones), comments, supports, reports made,
    decisions taken and reports handled."""
    ideas = db.session.scalars(select(Idea).where(Idea.author_id == user.id)
                               .options(selectinload(Idea.tags), selectinload(Idea.thinktank))
                               .order_by(Idea.created_at, Idea.id)).all()
    versions: dict[int, list[IdeaVersion]] = {}
    if ideas:
        for version in db.session.scalars(select(IdeaVersion).where(IdeaVersion.idea_id.in_([i.id for i in ideas]))
                                          .order_by(IdeaVersion.created_at, IdeaVersion.id)):
            versions.setdefault(version.idea_id, []).append(version)
    comments = db.session.execute(select(Comment, Idea.title).join(Idea, Idea.id == Comment.idea_id)
                                  .where(Comment.author_id == user.id).order_by(Comment.created_at, Comment.id))
    supports = db.session.execute(select(Support, Idea.title).join(Idea, Idea.id == Support.idea_id)
                                  .where(Support.user_id == user.id).order_by(Support.created_at, Support.id))
    reports = db.session.scalars(select(Report).where(Report.reporter_id == user.id)
                                 .order_by(Report.created_at, Report.id))
    decisions = db.session.scalars(select(StatusChange).where(StatusChange.actor_id == user.id)
                                   .order_by(StatusChange.created_at, StatusChange.id))
    handled = db.session.scalars(select(Report).where(Report.resolved_by_id == user.id)
                                 .order_by(Report.resolved_at, Report.id))
    return {
        "ideas": [{
            "id": idea.id, "thinktank": idea.thinktank.slug, "title": idea.title, "body": idea.body,
            "anonymous": idea.anonymous, "status": idea.status, "tags": [tag.name for tag in idea.tags],
            "created_at": idea.created_at, "updated_at": idea.updated_at, "withdrawn_at": idea.withdrawn_at,
            "hidden_at": idea.hidden_at, "hidden_reason": idea.hidden_reason,
            "review": idea.review, "review_reason": idea.review_reason,
            "earlier_versions": [{"title": v.title, "body": v.body, "replaced_at": v.created_at}
                                 for v in versions.get(idea.id, [])],
        } for idea in ideas],
        "comments": [{"id": c.id, "idea_id": c.idea_id, "idea_title": title, "reply_to": c.parent_id,
                      "body": c.body, "anonymous": c.anonymous, "created_at": c.created_at,
                      "edited_at": c.edited_at, "deleted_at": c.deleted_at, "hidden_at": c.hidden_at,
                      "review": c.review, "review_reason": c.review_reason} for c, title in comments],
        "supports": [{"idea_id": s.idea_id, "idea_title": title, "created_at": s.created_at}
                     for s, title in supports],
        "reports_made": [{"id": r.id, "idea_id": r.idea_id, "comment_id": r.comment_id, "reason": r.reason,
                          "created_at": r.created_at, "resolved_at": r.resolved_at, "outcome": r.outcome}
                         for r in reports],
        "decisions_taken": [{"idea_id": d.idea_id, "from_status": d.from_status, "to_status": d.to_status,
                             "answer": d.answer, "created_at": d.created_at} for d in decisions],
        # Reports this user handled as a chair or admin: the outcome and their own note, not the report's
        # reason or who made it (that is the reporter's).
        "reports_handled": [{"id": r.id, "outcome": r.outcome, "note": r.note, "resolved_at": r.resolved_at}
                            for r in handled],
    }


def erase_ideas(user: User, *, keep_contributions: bool) -> dict[str, int]:
    """Withdraw the user's supports (the counts follow); with `keep_contributions` False, also delete their
    ideas, comments and reports."""
    counts = {"supports withdrawn": _withdraw_supports(user)}
    if keep_contributions:
        counts["ideas kept as a deleted participant's"] = _count(select(Idea.id).where(Idea.author_id == user.id))
        counts["comments kept as a deleted participant's"] = _count(
            select(Comment.id).where(Comment.author_id == user.id, Comment.deleted_at.is_(None)))
        return counts
    counts["ideas deleted"] = _delete_ideas(user)
    counts.update(_delete_comments(user))
    counts["reports deleted"] = db.session.execute(delete(Report).where(Report.reporter_id == user.id)).rowcount
    return counts


def _withdraw_supports(user: User) -> int:
    supported = select(Support.idea_id).where(Support.user_id == user.id)
    db.session.execute(update(Idea).where(Idea.id.in_(supported))
                       .values(support_count=Idea.support_count - 1).execution_options(synchronize_session=False))
    return db.session.execute(delete(Support).where(Support.user_id == user.id)).rowcount


def _delete_ideas(user: User) -> int:
    """Delete the user's ideas (their versions, supports, comments and reports go with them) and the
    notifications that pointed others to them (those carry the idea's title)."""
    idea_ids = list(db.session.scalars(select(Idea.id).where(Idea.author_id == user.id)))
    for start in range(0, len(idea_ids), _CHUNK):
        chunk = idea_ids[start:start + _CHUNK]
        db.session.execute(delete(Notification).where(or_(*(
            or_(Notification.url == f"/ideas/{idea_id}", Notification.url.like(f"/ideas/{idea_id}#%"))
            for idea_id in chunk))))
        db.session.execute(delete(Idea).where(Idea.id.in_(chunk)).execution_options(synchronize_session=False))
    return len(idea_ids)


def _delete_comments(user: User) -> dict[str, int]:
    """Delete the user's comments; one that others replied to becomes the usual 'This comment was deleted.'
    placeholder without an author, so their replies keep their place."""
    counted = and_(Comment.author_id == user.id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
    per_idea = (select(func.count()).select_from(Comment).where(Comment.idea_id == Idea.id, counted)
                .scalar_subquery())
    db.session.execute(update(Idea).where(Idea.id.in_(select(Comment.idea_id).where(counted)))
                       .values(comment_count=Idea.comment_count - per_idea)
                       .execution_options(synchronize_session=False))
    replies = aliased(Comment)
    answered = exists().where(replies.parent_id == Comment.id, replies.author_id.is_distinct_from(user.id))
    kept = db.session.execute(update(Comment).where(Comment.author_id == user.id, answered)
                              .values(body="", author_id=None, deleted_at=func.coalesce(Comment.deleted_at, utcnow()))
                              .execution_options(synchronize_session=False)).rowcount
    # Replies first: a comment of this user answered only by this user has no replies left after that.
    deleted = db.session.execute(delete(Comment).where(Comment.author_id == user.id, Comment.parent_id.is_not(None))
                                 .execution_options(synchronize_session=False)).rowcount
    deleted += db.session.execute(delete(Comment).where(Comment.author_id == user.id)
                                  .execution_options(synchronize_session=False)).rowcount
    return {"comments deleted": deleted, "comments left as a placeholder for their replies": kept}


def retain_reports(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove reports handled before the retention period; open reports stay until a chair handles them."""
    cutoff = retention_cutoff(settings, "RETENTION_REPORTS_DAYS", now)
    if cutoff is None:
        return {}
    old = and_(Report.resolved_at.is_not(None), Report.resolved_at < cutoff)
    if dry_run:
        return {"handled reports": _count(select(Report.id).where(old))}
    return {"handled reports": db.session.execute(delete(Report).where(old)).rowcount}


# --- actions: owned actions, progress updates, measurements ----------------------------------------------------

def export_actions(user: User) -> dict[str, Any]:
    """Return the action items the user owns or created, the progress updates they wrote and the measurements
    they recorded."""
    actions = db.session.execute(select(ActionItem, ThinkTank.slug)  # no think tank: a plan-wide action
                                 .outerjoin(ThinkTank, ThinkTank.id == ActionItem.thinktank_id)
                                 .where(or_(ActionItem.owner_id == user.id, ActionItem.created_by_id == user.id))
                                 .order_by(ActionItem.created_at, ActionItem.id))
    updates = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.author_id == user.id)
                                 .order_by(ProgressUpdate.created_at, ProgressUpdate.id))
    measurements = db.session.execute(select(Measurement, Indicator.name).join(Indicator)
                                      .where(Measurement.created_by_id == user.id)
                                      .order_by(Measurement.created_at, Measurement.id))
    return {
        "actions": [{"id": a.id, "thinktank": slug, "title": a.title, "owner": a.owner_id == user.id,
                     "created_by_you": a.created_by_id == user.id, "organisation": a.organisation,
                     "status": a.status, "progress": a.progress, "start_date": a.start_date,
                     "due_date": a.due_date, "created_at": a.created_at} for a, slug in actions],
        "progress_updates": [{"action_id": u.action_id, "body": u.body, "progress": u.progress,
                              "status": u.status, "created_at": u.created_at} for u in updates],
        "measurements": [{"indicator": name, "date": m.date, "value": m.value, "note": m.note,
                          "created_at": m.created_at} for m, name in measurements],
    }


def erase_actions(user: User, *, keep_contributions: bool) -> dict[str, int]:
    """Leave the user's action items without an owner; with `keep_contributions` False, delete the progress
    updates they wrote. Action items and measurements are the plan's and stay."""
    counts = {"actions left without an owner": _count(select(ActionItem.id).where(ActionItem.owner_id == user.id))}
    if not keep_contributions:
        counts["progress updates deleted"] = db.session.execute(
            delete(ProgressUpdate).where(ProgressUpdate.author_id == user.id)).rowcount
    return counts


# --- notifications ---------------------------------------------------------------------------------------------

def export_notifications(user: User) -> list[dict[str, Any]]:
    """Return the user's notifications."""
    rows = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.created_at, Notification.id))
    return [{"kind": n.kind, "data": n.data, "url": n.url, "created_at": n.created_at, "read_at": n.read_at,
             "emailed_at": n.emailed_at} for n in rows]


def erase_notifications(user: User, *, keep_contributions: bool) -> dict[str, int]:
    """Delete the user's notifications."""
    return {"notifications deleted": db.session.execute(
        delete(Notification).where(Notification.user_id == user.id)).rowcount}


# --- audit log -------------------------------------------------------------------------------------------------

def export_audit(user: User) -> list[dict[str, Any]]:
    """Return the audit entries of what the user did."""
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id)
                              .order_by(AuditEntry.created_at, AuditEntry.id))
    return [{"action": e.action, "subject": f"{e.subject_type}:{e.subject_id}", "data": e.data,
             "created_at": e.created_at} for e in rows]


def retain_audit(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove audit entries older than the retention period."""
    cutoff = retention_cutoff(settings, "RETENTION_AUDIT_DAYS", now)
    if cutoff is None:
        return {}
    old = AuditEntry.created_at < cutoff
    if dry_run:
        return {"audit log entries": _count(select(AuditEntry.id).where(old))}
    return {"audit log entries": db.session.execute(delete(AuditEntry).where(old)).rowcount}


register("account", export=export_account, erase=erase_account, retain=retain_sessions)
register("thinktanks", export=export_thinktanks, erase=erase_thinktanks)
register("ideas", export=export_ideas, erase=erase_ideas, retain=retain_reports)
register("actions", export=export_actions, erase=erase_actions)
register("notifications", export=export_notifications, erase=erase_notifications)
register("audit", export=export_audit, retain=retain_audit)
