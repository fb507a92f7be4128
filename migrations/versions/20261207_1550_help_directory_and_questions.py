"""help pages: the help directory (with the three emergency entries), the questions and answers, and their
links; full-text search over the questions and answers per language

Revision ID: 20261207_1550
Revises: 20261203_0930
Create Date: 2026-12-07 15:50:00
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

revision = "20261207_1550"
down_revision = "20261203_0930"
branch_labels = None
depends_on = None

# The emergency numbers every Dutch site needs from its first start; administrators can change or remove them.
EMERGENCY = [
    {"name_nl": "Alarmnummer 112", "name_en": "Emergency number 112", "phone": "112", "position": 1,
     "topics_nl": "Bij direct gevaar, als iemand onwel is na drugsgebruik of bewusteloos raakt, of bij een "
                  "misdrijf dat nu gebeurt.",
     "topics_en": "When there is immediate danger, when someone is unwell after using drugs or loses "
                  "consciousness, or when a crime is happening right now.",
     "hours_nl": "Dag en nacht", "hours_en": "Day and night", "website": "https://www.112.nl"},
    {"name_nl": "Politie, geen spoed", "name_en": "Police, non-emergency", "phone": "0900-8844", "position": 2,
     "topics_nl": "Voor zorgen of meldingen waar geen haast bij is, zoals overlast of een vermoeden van dealen "
                  "in de buurt.",
     "topics_en": "For worries or reports that are not urgent, such as nuisance or a suspicion of dealing in "
                  "the neighbourhood.",
     "hours_nl": "Dag en nacht", "hours_en": "Day and night", "website": "https://www.politie.nl"},
    {"name_nl": "Meld Misdaad Anoniem", "name_en": "Report crime anonymously (Meld Misdaad Anoniem)",
     "phone": "0800-7000", "position": 3,
     "topics_nl": "Weet u iets over dealen of andere misdaad en wilt u niet dat iemand weet dat het van u "
                  "komt? Bel gratis of meld online: uw naam wordt niet gevraagd en niet doorgegeven.",
     "topics_en": "Do you know something about dealing or another crime and do not want anyone to know it came "
                  "from you? Call free of charge or report online: your name is not asked for or passed on.",
     "hours_nl": "Dag en nacht", "hours_en": "Day and night", "website": "https://www.meldmisdaadanoniem.nl"},
]

SQLITE_SEARCH = [
    # One row per question (rowid = its id): its Dutch text, and its English text with the Dutch where a field
    # has no English version, the same fallback the pages show.
    """CREATE VIRTUAL TABLE help_questions_fts USING fts5(nl, en, tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER help_questions_fts_insert AFTER INSERT ON help_questions BEGIN
       INSERT INTO help_questions_fts(rowid, nl, en) VALUES (new.id, new.question_nl || ' ' || new.answer_nl,
         coalesce(nullif(new.question_en, ''), new.question_nl) || ' ' ||
         coalesce(nullif(new.answer_en, ''), new.answer_nl)); END""",
    """CREATE TRIGGER help_questions_fts_delete AFTER DELETE ON help_questions BEGIN
       DELETE FROM help_questions_fts WHERE rowid = old.id; END""",
    """CREATE TRIGGER help_questions_fts_update AFTER UPDATE OF question_nl, question_en, answer_nl, answer_en
       ON help_questions BEGIN
       DELETE FROM help_questions_fts WHERE rowid = old.id;
       INSERT INTO help_questions_fts(rowid, nl, en) VALUES (new.id, new.question_nl || ' ' || new.answer_nl,
         coalesce(nullif(new.question_en, ''), new.question_nl) || ' ' ||
         coalesce(nullif(new.answer_en, ''), new.answer_nl)); END""",
]


def upgrade() -> None:
    op.create_table(
        "help_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), server_default="organisation", nullable=False),
        sa.Column("name_nl", sa.String(length=150), nullable=False),
        sa.Column("name_en", sa.String(length=150), server_default="", nullable=False),
        sa.Column("topics_nl", sa.Text(), server_default="", nullable=False),
        sa.Column("topics_en", sa.Text(), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=40), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("website", sa.String(length=300), server_default="", nullable=False),
        sa.Column("hours_nl", sa.String(length=300), server_default="", nullable=False),
        sa.Column("hours_en", sa.String(length=300), server_default="", nullable=False),
        sa.Column("languages", sa.String(length=200), server_default="", nullable=False),
        sa.Column("thinktank_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('emergency', 'organisation')", name=op.f("ck_help_entries_kind")),
        sa.ForeignKeyConstraint(["thinktank_id"], ["thinktanks.id"], name=op.f("fk_help_entries_thinktank_id_thinktanks"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_entries")),
    )
    op.create_index(op.f("ix_help_entries_thinktank_id"), "help_entries", ["thinktank_id"], unique=False)
    op.create_table(
        "help_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), server_default="parents", nullable=False),
        sa.Column("question_nl", sa.String(length=300), nullable=False),
        sa.Column("question_en", sa.String(length=300), server_default="", nullable=False),
        sa.Column("answer_nl", sa.Text(), server_default="", nullable=False),
        sa.Column("answer_en", sa.Text(), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("category IN ('parents', 'young_people', 'others')",
                           name=op.f("ck_help_questions_category")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_questions")),
    )
    op.create_table(
        "help_question_entries",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["help_entries.id"],
                                name=op.f("fk_help_question_entries_entry_id_help_entries"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["help_questions.id"],
                                name=op.f("fk_help_question_entries_question_id_help_questions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "entry_id", name=op.f("pk_help_question_entries")),
    )
    op.create_index(op.f("ix_help_question_entries_entry_id"), "help_question_entries", ["entry_id"],
                    unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    # PostgreSQL searches with to_tsvector() (samen/help/search.py) without an index: the questions are tens,
    # not thousands, and a sequential scan of them is quicker than keeping two expression indexes.
    entries = sa.table("help_entries", *(sa.column(name) for name in (*EMERGENCY[0], "kind", "created_at",
                                                                       "updated_at")))
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    op.bulk_insert(entries, [{**entry, "kind": "emergency", "created_at": now, "updated_at": now}
                             for entry in EMERGENCY])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("help_questions_fts_insert", "help_questions_fts_delete", "help_questions_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS help_questions_fts")
    op.drop_index(op.f("ix_help_question_entries_entry_id"), table_name="help_question_entries")
    op.drop_table("help_question_entries")
    op.drop_table("help_questions")
    op.drop_index(op.f("ix_help_entries_thinktank_id"), table_name="help_entries")
    op.drop_table("help_entries")
