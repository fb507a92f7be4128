"""Stories, their themes, knowledge sources and directions (bundles of stories that may become an idea).

What a story says (its text, neighbourhood and the action taken) is encrypted at rest (samen/stories/crypto.py);
a direction's text too, since it may quote stories that are for analysis only. Who told a story is a kind of
person (a parent, a young person, …), never a name.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, String, Table,
                        false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.stories.crypto import StoryText

TELLERS = ("parent", "young_person", "resident", "entrepreneur", "professional")
# analysis: for the analysis only, never quoted or exported; quote: may be quoted without anything that identifies
# anyone; publish: may be published. Which of them may be quoted is one function: operations.may_quote.
CONSENTS = ("analysis", "quote", "publish")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


story_theme_links = Table(
    "story_theme_links", Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("story_themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)
story_sources = Table(
    "story_sources", Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("knowledge_sources.id", ondelete="CASCADE"), primary_key=True, index=True),
)
direction_stories = Table(
    "direction_stories", Base.metadata,
    Column("direction_id", ForeignKey("directions.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class StoryTheme(Base):
    """A theme of the list administrators keep (normalisation, debts to dealers, …)."""

    __tablename__ = "story_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoryTheme {self.id} {self.name!r}>"


class KnowledgeSource(Base):
    """What is known to work, from a publisher such as Trimbos or the CCV."""

    __tablename__ = "knowledge_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    publisher: Mapped[str] = mapped_column(String(120), default="", server_default="")
    url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<KnowledgeSource {self.id} {self.title!r}>"


class Story(Base):
    """A story told to a field worker, in the teller's words, with the consent the teller gave."""

    __tablename__ = "stories"
    __table_args__ = (CheckConstraint(_in("teller", TELLERS), name="teller"),
                      CheckConstraint(_in("consent", CONSENTS), name="consent"))

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(StoryText)
    teller: Mapped[str] = mapped_column(String(20))
    neighbourhood: Mapped[str] = mapped_column(StoryText)
    told_on: Mapped[date] = mapped_column(Date, index=True)
    from_notes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    action_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    action_taken: Mapped[str | None] = mapped_column(StoryText)
    consent: Mapped[str] = mapped_column(String(10), default="analysis", server_default="analysis")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    themes: Mapped[list[StoryTheme]] = relationship(secondary=story_theme_links, order_by="StoryTheme.name")
    sources: Mapped[list[KnowledgeSource]] = relationship(secondary=story_sources, order_by="KnowledgeSource.title")

    @property
    def theme_names(self) -> str:
        """The themes' names, comma-separated (a Jinja map filter per story costs a millisecond in a long list)."""
        return ", ".join(theme.name for theme in self.themes)

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.consent}>"


class Direction(Base):
    """A direction for the plan: stories bundled by the analysis team, with a Markdown text; it may be put to a
    think tank as an idea (idea_id), keeping what it was based on at that moment (basis)."""

    __tablename__ = "directions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(StoryText)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"), unique=True)
    # When put to a think tank: {"stories": N, "themes": [names]} — what the idea page and the trail show.
    basis: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    stories: Mapped[list[Story]] = relationship(secondary=direction_stories, order_by="Story.told_on, Story.id")

    def __repr__(self) -> str:
        return f"<Direction {self.id} {self.title!r}>"
