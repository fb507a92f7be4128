"""Users, their signed-in sessions and their API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.core.database import Base, utcnow

USER_KINDS = ("resident", "professional")
TOKEN_PURPOSES = ("unlock", "password_reset", "email_change", "email_confirm")


class User(Base):
    """A person with an account: a resident or a professional; the display name may be a pseudonym."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("kind IN ('resident', 'professional')", name="kind"),
        CheckConstraint("digest IN ('never', 'daily', 'weekly')", name="digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), default="resident", server_default="resident")
    organisation: Mapped[str | None] = mapped_column(String(120))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(5))
    # How often notifications are also sent by e-mail: never, daily or weekly.
    # Weekly for new accounts; accounts made before December 2026 kept what they had (docs/notifications.md).
    digest: Mapped[str] = mapped_column(String(10), default="weekly", server_default="weekly")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Failed sign-ins since the last successful one; at LOGIN_LOCKOUT_THRESHOLD the account is locked.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Suspended by an administrator: no sign-in, no token, no live board until reinstated (see suspend_user).
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime)
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the owner opened the confirmation link (or an e-mail change link): until then they read, but do
    # not take part (operations.require_confirmed).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the owner agreed to the terms of use, and to which version (operations.TERMS_VERSION).
    terms_accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    terms_version: Mapped[str | None] = mapped_column(String(20))
    # Said at registration: younger than 16 (no e-mail digests, a pseudonym as display name; docs/privacy.md).
    under_16: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)
    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)
    suspended_by: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[suspended_by_id])

    # The key of the signed-in session this object was loaded for (set by the user loader, not stored).
    session_key = None
    session_id = None  # and that session's row id (which live connections it opened)
    loaded_plan_roles = None  # frozenset of plan-wide roles, read with the session or token (samen/programme/roles.py)

    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_professional(self) -> bool:
        return self.kind == "professional"

    def get_id(self) -> str | None:
        """Return the session key: Flask-Login stores it in the session and the remember-me cookie."""
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"


class UserSession(Base):
    """One signed-in browser; deleting it ends that sign-in, its cookie and its remember-me cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # 'Keep me signed in': a longer absolute lifetime and no idle timeout (see operations.SessionPolicy).
    remember: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class ApiToken(Base):
    """A personal API token for an integration; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="api", server_default="api")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Every token expires (API_TOKEN_DEFAULT_DAYS, at most API_TOKEN_MAX_DAYS); an expired one is refused.
    expires_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="api_tokens")

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"


class AccountToken(Base):
    """A single-use link sent by e-mail: unlock the account, reset the password, confirm a new address, or confirm
    the address of a new account.

    Only the hash of the secret is stored; `used_at` is set when the link is used (or replaced by a newer one).
    """

    __tablename__ = "account_tokens"
    __table_args__ = (
        CheckConstraint("purpose IN ('unlock', 'password_reset', 'email_change', 'email_confirm')", name="purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    new_email: Mapped[str | None] = mapped_column(String(254))  # the address an e-mail change confirms
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AccountToken {self.id} {self.purpose} user={self.user_id}>"
