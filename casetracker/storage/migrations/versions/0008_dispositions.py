"""What a case's disposition means, and which of its charges it ended in.

`court_case.disposition_kind` is read from the written disposition (normalize.disposition), so
screening can tell a conviction from a dismissal, an ACD or a youthful offender adjudication.
`charge.role` tells the charges a case was brought on from the ones it ended in; every charge
stored so far is an arrest or summons charge.

Revision ID: 0008_dispositions
Revises: 0007_sparse_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_dispositions"
down_revision = "0007_sparse_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("court_case") as batch:
        batch.add_column(sa.Column("disposition_kind", sa.String(32), nullable=True))
    with op.batch_alter_table("charge") as batch:
        batch.add_column(sa.Column("role", sa.String(32), nullable=False, server_default="arrest"))
    # Imported here, not at the top: a migration module is loaded by Alembic alone.
    from casetracker.normalize.disposition import classify_disposition

    connection = op.get_bind()
    case = sa.table(
        "court_case",
        sa.column("id", sa.Integer),
        sa.column("disposition", sa.String),
        sa.column("disposition_kind", sa.String),
    )
    written = connection.execute(
        sa.select(case.c.disposition).where(case.c.disposition.is_not(None)).distinct()
    ).scalars()
    for text in list(written):
        kind = classify_disposition(text).value
        if kind is not None:
            connection.execute(
                case.update().where(case.c.disposition == text).values(disposition_kind=kind.value)
            )


def downgrade() -> None:
    with op.batch_alter_table("charge") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("court_case") as batch:
        batch.drop_column("disposition_kind")
