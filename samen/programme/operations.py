"""The programme's domain: lines (create, edit, reorder, delete, put think tanks in them) and the plan-wide
roles (grant, revoke). Audited; the caller commits.

Unlike programme/models.py and roles.py (beneath thinktanks: the chair rule asks them), this module works with
think tanks and so sits at their layer.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from samen.accounts.models import User
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.programme.models import PLAN_ROLES, Line, PlanRole
from samen.programme.roles import forget_plan_roles, is_coordinator
from samen.thinktanks.models import Membership, ThinkTank

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINE_NAME_MAX = 120
LINE_SLUG_MAX = 80
LINE_TEXT_MAX = 5000
ROLE_LABELS = {"coordinator": _l("Programme coordinator"), "field_worker": _l("Field worker"),
               "analyst": _l("Analysis team")}


# --- who may do what -------------------------------------------------------------------------------------------

def require_coordinator(user: Any) -> None:
    """Refuse (403) anyone but admins and the programme coordinator."""
    if not is_coordinator(user):
        raise Forbidden(_l("Only administrators and the programme coordinator can do this."), code="forbidden")


def require_admin(user: Any) -> None:
    """Refuse (403) anyone but site admins: they grant plan-wide roles."""
    if not (getattr(user, "is_authenticated", False) and user.is_admin):
        raise Forbidden(_l("Only administrators can grant plan-wide roles."), code="forbidden")


# --- lines -----------------------------------------------------------------------------------------------------

def list_lines() -> list[Line]:
    """Return the lines in their order (one query)."""
    return list(db.session.scalars(select(Line).order_by(Line.position, Line.name, Line.id)))


def line_by_slug(slug: Any) -> Line | None:
    """Return the line with this slug, or None (also for what cannot be a slug)."""
    if not isinstance(slug, str) or len(slug) > LINE_SLUG_MAX or not SLUG_RE.match(slug):
        return None
    return db.session.scalar(select(Line).where(Line.slug == slug))


def find_line(value: Any) -> Line | None:
    """Return the line by id or slug (as filters take it), or None."""
    if isinstance(value, Line):
        return value
    if inputs.is_id(value):
        return db.session.get(Line, int(value))
    return line_by_slug(value)


def _slugify(name: str) -> str:
    ascii_name = name.lower().translate(str.maketrans("àáâäèéêëìíîïòóôöùúûüçñ", "aaaaeeeeiiiioooouuuucn"))
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:LINE_SLUG_MAX].strip("-") or "lijn"


def _line_fields(data: dict[str, Any], *, current: Line | None = None) -> dict[str, Any]:
    name = inputs.line(data.get("name"), field="name", maximum=LINE_NAME_MAX, required=True, label=_l("Name"))
    slug = inputs.line(data.get("slug") or "", field="slug", maximum=LINE_SLUG_MAX) or (
        current.slug if current is not None else _slugify(name))
    if not SLUG_RE.match(slug):
        raise DomainError(_l("Use lower-case letters, digits and hyphens only."), field="slug")
    taken = line_by_slug(slug)
    if taken is not None and taken is not current:
        raise Conflict(_l("Another line already uses this web address."), field="slug", code="slug_taken")
    description = inputs.body(data.get("description") or "", field="description", maximum=LINE_TEXT_MAX)
    return {"name": name, "slug": slug, "description": description}


def _place(line: Line, thinktank_ids: Any) -> list[int]:
    """Put exactly these think tanks in the line (others leave it); return the ids placed."""
    ids = sorted({inputs.ident(value, field="thinktanks") for value in thinktank_ids or ()})
    found = set(db.session.scalars(select(ThinkTank.id).where(ThinkTank.id.in_(ids)))) if ids else set()
    if found != set(ids):
        raise DomainError(_l("Choose think tanks of the plan."), field="thinktanks")
    db.session.execute(update(ThinkTank).where(ThinkTank.line_id == line.id, ThinkTank.id.not_in(ids))
                       .values(line_id=None).execution_options(synchronize_session="fetch"))
    if ids:
        db.session.execute(update(ThinkTank).where(ThinkTank.id.in_(ids)).values(line_id=line.id)
                           .execution_options(synchronize_session="fetch"))
    return ids


def create_line(*, by: Any, name: Any, slug: Any = "", description: Any = "", thinktanks: Any = ()) -> Line:
    """Add a line at the end, with its think tanks (admins, the coordinator)."""
    require_coordinator(by)
    fields = _line_fields({"name": name, "slug": slug, "description": description})
    last = db.session.scalar(select(func.max(Line.position))) or 0
    line = Line(position=last + 1, **fields)
    db.session.add(line)
    db.session.flush()
    placed = _place(line, thinktanks)
    record(by, "line.create", "line", line.id, name=line.name, thinktanks=placed)
    return line


def update_line(line: Line, *, by: Any, name: Any, slug: Any = "", description: Any = "",
                thinktanks: Any = None) -> Line:
    """Change a line and (when given) which think tanks are in it; audited as old → new."""
    require_coordinator(by)
    fields = _line_fields({"name": name, "slug": slug, "description": description}, current=line)
    changes = {key: [getattr(line, key), value] for key, value in fields.items() if getattr(line, key) != value}
    for key, value in fields.items():
        setattr(line, key, value)
    data: dict[str, Any] = {"changes": changes}
    if thinktanks is not None:
        before = sorted(db.session.scalars(select(ThinkTank.id).where(ThinkTank.line_id == line.id)))
        after = _place(line, thinktanks)
        if before != after:
            data["thinktanks"] = [before, after]
    if changes or "thinktanks" in data:
        record(by, "line.update", "line", line.id, **data)
    return line


def move_line(line: Line, *, by: Any, direction: str) -> None:
    """Move a line one place up or down (swapping with its neighbour); positions become 1, 2, 3…"""
    require_coordinator(by)
    lines = list_lines()
    index = lines.index(line)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(lines):
        lines[index], lines[other] = lines[other], lines[index]
    for position, each in enumerate(lines, start=1):
        each.position = position
    record(by, "line.move", "line", line.id, direction=direction)


def delete_line(line: Line, *, by: Any) -> None:
    """Delete a line: its think tanks, actions and indicators stay, without a line."""
    require_coordinator(by)
    record(by, "line.delete", "line", line.id, name=line.name)
    db.session.delete(line)
    db.session.flush()


def thinktanks_by_line() -> list[tuple[Line | None, list[ThinkTank]]]:
    """Return the lines in order, each with its think tanks, then (None, the rest); two queries."""
    lines = list_lines()
    tanks = list(db.session.scalars(select(ThinkTank).order_by(ThinkTank.position, ThinkTank.name)))
    groups: list[tuple[Line | None, list[ThinkTank]]] = [
        (line, [t for t in tanks if t.line_id == line.id]) for line in lines]
    return [*groups, (None, [t for t in tanks if t.line_id is None])]


# --- plan-wide roles ---------------------------------------------------------------------------------------------

def role_holders() -> dict[str, list[User]]:
    """Return, per plan-wide role, the people who hold it (one query)."""
    holders: dict[str, list[User]] = {role: [] for role in PLAN_ROLES}
    for role, user in db.session.execute(select(PlanRole.role, User).join(User, User.id == PlanRole.user_id)
                                         .order_by(func.lower(User.display_name), User.id)):
        holders[role].append(user)
    return holders


def _role(role: Any) -> str:
    if role not in PLAN_ROLES:
        raise DomainError(_l("Choose a plan-wide role."), field="role")
    return role


def find_person(value: Any) -> User | None:
    """Return the account with this e-mail address or id, or None."""
    if isinstance(value, str) and "@" in value:
        return db.session.scalar(select(User).where(func.lower(User.email) == value.strip().lower()))
    return db.session.get(User, int(value)) if inputs.is_id(value) else None


def grant_role(user: User | None, role: Any, *, by: Any) -> bool:
    """Give the person a plan-wide role (admins); False when they already hold it."""
    require_admin(by)
    role = _role(role)
    if user is None:
        raise DomainError(_l("There is no account with this e-mail address."), field="person")
    if db.session.scalar(select(PlanRole.id).where(PlanRole.user_id == user.id, PlanRole.role == role)):
        return False
    db.session.add(PlanRole(user_id=user.id, role=role, granted_by_id=getattr(by, "id", None)))
    db.session.flush()
    record(by, "plan_role.grant", "user", user.id, role=role)
    forget_plan_roles(user)
    return True


def revoke_role(user: User, role: Any, *, by: Any) -> bool:
    """Take a plan-wide role away (admins); False when the person did not hold it."""
    require_admin(by)
    role = _role(role)
    gone = db.session.execute(delete(PlanRole).where(PlanRole.user_id == user.id, PlanRole.role == role)).rowcount
    if gone:
        record(by, "plan_role.revoke", "user", user.id, role=role)
        forget_plan_roles(user)
    return bool(gone)


def plan_people() -> list[Any]:
    """Return who can own a plan-wide action, as the action form lists owners (objects with a `user`): the
    active members of any think tank, the plan-wide role holders and the admins, by name (one query)."""
    member = select(Membership.user_id).where(Membership.status == "active")
    role = select(PlanRole.user_id)
    users = db.session.scalars(select(User).where(
        User.suspended_at.is_(None), or_(User.id.in_(member), User.id.in_(role), User.is_admin.is_(True)))
        .order_by(func.lower(User.display_name), User.id))
    return [SimpleNamespace(user=user) for user in users]
