"""Ideas with their versions, tags, supports, comments, status changes and reports."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, and_, false, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.core.markdown import markdown_to_text
from samen.thinktanks.models import ThinkTank

# Shown in lists: not hidden by moderation, not withdrawn, and not waiting for (or refused) a chair's approval.
VISIBLE = "hidden_at IS NULL AND withdrawn_at IS NULL AND review IS NULL"
# Under pre-moderation a new idea or comment waits for a chair ('waiting'); a refused one stays 'rejected', seen only
# by its author (with the reason) and the chairs. Published content has no review state (NULL).
REVIEW_STATES = ("waiting", "rejected")
IDEA_STATUSES = ("new", "discussion", "adopted", "rejected", "merged", "existing")
OPEN_STATUSES = ("new", "discussion")
# The overview's counts for chairs (samen/overview, docs/search.md): what waits for approval, and the listed ideas
# still without an answer; partial indexes hold them, so the count in every chair's header reads a few entries.
WAITING = "review = 'waiting'"
UNANSWERED = "answered_at IS NULL AND status IN ('new', 'discussion') AND " + VISIBLE
EXCERPT_LENGTH = 200  # characters of plain text on an idea's card

idea_tags = Table(
    "idea_tags", Base.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    """A tag a think tank offers for its ideas, e.g. 'ouders' or 'school'."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("thinktank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))

    def __repr__(self) -> str:
        return f"<Tag {self.id} {self.slug!r}>"


class Idea(Base):
    """An idea posted in a think tank. Counters are kept by atomic UPDATEs; supports are unique per member."""

    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'discussion', 'adopted', 'rejected', 'merged', 'existing')",
                        name="status"),
        CheckConstraint("support_count >= 0", name="support_count"),
        Index("ix_ideas_thinktank_status", "thinktank_id", "status"),
        Index("ix_ideas_thinktank_support", "thinktank_id", "support_count"),
        Index("ix_ideas_thinktank_created", "thinktank_id", "created_at"),
        # The idea list filters on think tank and visibility and sorts: a partial index per sort serves the count
        # and a page in order, at any depth (docs/benchmarks.md).
        # With the id, PostgreSQL orders 'rising' (ids and support counts) from this index alone.
        Index("ix_ideas_visible_support", "thinktank_id", "support_count", "id",
              sqlite_where=text(VISIBLE), postgresql_where=text(VISIBLE)),
        Index("ix_ideas_visible_created", "thinktank_id", "created_at",
              sqlite_where=text(VISIBLE), postgresql_where=text(VISIBLE)),
        Index("ix_ideas_visible_comments", "thinktank_id", "comment_count",
              sqlite_where=text(VISIBLE), postgresql_where=text(VISIBLE)),
        Index("ix_ideas_merged_into_id", "merged_into_id"),
        Index("ix_ideas_waiting", "thinktank_id", sqlite_where=text(WAITING), postgresql_where=text(WAITING)),
        Index("ix_ideas_unanswered", "thinktank_id", "created_at",
              sqlite_where=text(UNANSWERED), postgresql_where=text(UNANSWERED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # An idea a guest of a live meeting wrote (no account): the name they chose there, shown as its author.
    guest_name: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The start of the body as plain text, for the cards of the idea list: derived from `body` whenever it is
    # set (below), so a list page does not render 20 bodies as Markdown on every request.
    excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    support_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    review: Mapped[str | None] = mapped_column(String(10))
    review_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    thinktank: Mapped[ThinkTank] = relationship()
    author: Mapped[User | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=idea_tags, order_by="Tag.name")
    merged_into: Mapped[Idea | None] = relationship(remote_side="Idea.id")

    @validates("body")
    def _derive_excerpt(self, _key: str, body: str | None) -> str | None:
        self.excerpt = markdown_to_text(body, EXCERPT_LENGTH)
        return body

    @property
    def is_visible(self) -> bool:
        """Shown in lists: not hidden by moderation, not withdrawn, not waiting for approval (VISIBLE in SQL)."""
        return self.hidden_at is None and self.withdrawn_at is None and self.review is None

    @property
    def is_published(self) -> bool:
        """Approved, or posted without pre-moderation: others may know it exists."""
        return self.review is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.title!r}>"


def visible_ideas(idea: Any = None) -> Any:
    """The SQL form of Idea.is_visible (and of VISIBLE, which the list's partial indexes hold); on `idea`, an
    alias of Idea, when given."""
    idea = Idea if idea is None else idea
    return and_(idea.hidden_at.is_(None), idea.withdrawn_at.is_(None), idea.review.is_(None))


class IdeaVersion(Base):
    """An earlier title and body of an idea, kept when its author edits it."""

    __tablename__ = "idea_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<IdeaVersion {self.id} idea={self.idea_id}>"


class Support(Base):
    """A member's support for an idea: once per member and idea, enforced by the database."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),
                      Index("ix_supports_idea_created", "idea_id", "created_at"),
                      # 'Rising' counts a think tank's supports of the last week from the index alone.
                      Index("ix_supports_thinktank_created", "thinktank_id", "created_at", "idea_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Support idea={self.idea_id} user={self.user_id}>"


class Comment(Base):
    """A comment on an idea, or a reply to one (one level deep). Deleting leaves a placeholder."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea_created", "idea_id", "created_at"),
                      Index("ix_comments_waiting", "idea_id", sqlite_where=text(WAITING),
                            postgresql_where=text(WAITING)))

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    # Shown as 'anonymous participant' to all but the chairs and admins of the think tank (and the author).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review: Mapped[str | None] = mapped_column(String(10))
    review_reason: Mapped[str | None] = mapped_column(String(500))

    idea: Mapped[Idea] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_published(self) -> bool:
        """Approved, or posted without pre-moderation: others may know it exists."""
        return self.review is None

    def __repr__(self) -> str:
        return f"<Comment {self.id} idea={self.idea_id}>"


class StatusChange(Base):
    """A chair's decision on an idea: the new status, the written answer, who and when."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StatusChange idea={self.idea_id} {self.from_status}->{self.to_status}>"


class Report(Base):
    """A member's report of an idea or a comment, and how a chair or admin handled it."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("(idea_id IS NOT NULL) OR (comment_id IS NOT NULL)", name="subject"),
        CheckConstraint("outcome IS NULL OR outcome IN ('hidden', 'dismissed')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))

    idea: Mapped[Idea | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    def __repr__(self) -> str:
        return f"<Report {self.id} idea={self.idea_id} comment={self.comment_id}>"
