"""The help directory and the questions and answers, each in Dutch with an optional English version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.core.database import Base, utcnow
from samen.thinktanks.models import ThinkTank

# An emergency entry (112, the police, anonymous reporting) is shown first, in a block of its own.
ENTRY_KINDS = ("emergency", "organisation")
QUESTION_CATEGORIES = ("parents", "young_people", "others")
DEFAULT_LANGUAGE = "nl"


class Bilingual:
    """A row with Dutch texts (`<name>_nl`) and optional English ones (`<name>_en`)."""

    def localized(self, name: str, language: str) -> str:
        """Return the text in this language, or the Dutch one when there is no English version."""
        if language != DEFAULT_LANGUAGE:
            translated = getattr(self, f"{name}_{language}", None)
            if translated:
                return str(translated)
        return str(getattr(self, f"{name}_{DEFAULT_LANGUAGE}"))


question_entries = Table(
    "help_question_entries", Base.metadata,
    Column("question_id", ForeignKey("help_questions.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("help_entries.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class HelpEntry(Bilingual, Base):
    """An organisation or person that helps, or an emergency number, in the help directory."""

    __tablename__ = "help_entries"
    __table_args__ = (CheckConstraint("kind IN ('emergency', 'organisation')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="organisation", server_default="organisation")
    name_nl: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150), default="", server_default="")
    # What they help with; for an emergency entry, when to call.
    topics_nl: Mapped[str] = mapped_column(Text, default="", server_default="")
    topics_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    hours_nl: Mapped[str] = mapped_column(String(300), default="", server_default="")
    hours_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The part of the plan the entry belongs to, if any.
    thinktank_id: Mapped[int | None] = mapped_column(ForeignKey("thinktanks.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    thinktank: Mapped[ThinkTank | None] = relationship()

    @property
    def is_emergency(self) -> bool:
        return self.kind == "emergency"

    def __repr__(self) -> str:
        return f"<HelpEntry {self.id} {self.name_nl!r}>"


class HelpQuestion(Bilingual, Base):
    """A question and its Markdown answer, for parents, young people or others."""

    __tablename__ = "help_questions"
    __table_args__ = (CheckConstraint("category IN ('parents', 'young_people', 'others')", name="category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20), default="parents", server_default="parents")
    question_nl: Mapped[str] = mapped_column(String(300))
    question_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    answer_nl: Mapped[str] = mapped_column(Text, default="", server_default="")
    answer_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    # The directory entries the answer points to.
    entries: Mapped[list[HelpEntry]] = relationship(secondary=question_entries,
                                                    order_by=(HelpEntry.position, HelpEntry.id))

    def __repr__(self) -> str:
        return f"<HelpQuestion {self.id} {self.question_nl[:40]!r}>"
