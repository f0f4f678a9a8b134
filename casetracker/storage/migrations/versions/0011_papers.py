"""Motion papers: the office's own templates, the record of every generation, and the index
and calendar numbers a court gives a list's omnibus motion.

Both new tables only ever grow: a replaced template is a new row (restoring the default is a
row without content), and the generation record is made append-only by the database, as the
motions' history is.

Revision ID: 0011_papers
Revises: 0013_report
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_papers"
down_revision = "0013_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("court_list") as batch:
        batch.add_column(sa.Column("index_number", sa.String(40), nullable=True))
        batch.add_column(sa.Column("calendar_number", sa.String(40), nullable=True))
    op.create_table(
        "paper_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(400), nullable=True),
        sa.Column("saved_by", sa.String(100), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_paper_template_name", "paper_template", ["name"])
    op.create_table(
        "paper_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("motion_id", sa.Integer(), sa.ForeignKey("motion.id"), nullable=True),
        sa.Column("court_list_id", sa.Integer(), sa.ForeignKey("court_list.id"), nullable=True),
        sa.Column("motion_count", sa.Integer(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("file_name", sa.String(400), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_paper_generation_at", "paper_generation", ["at"])
    op.create_index("ix_paper_generation_motion_id", "paper_generation", ["motion_id"])
    op.create_index("ix_paper_generation_court_list_id", "paper_generation", ["court_list_id"])
    _append_only("paper_generation")


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the papers history is append-only'); END"
            )
    else:
        # The function 0001 made for the motions' history raises the same refusal.
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION casetracker_history_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_history_append_only()"
        )


def downgrade() -> None:
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
