"""One person per NYSID: the index on person.nysid becomes unique (where there is one), so
two intakes of the same NYSID at once can never make two people (PostgreSQL let them).

People already on file twice under one NYSID (made by that race) keep their records; the
later ones lose only the normalized NYSID, which the NYSID as typed still shows, so the
index can be made. Nothing is deleted.

Revision ID: 0009_engine
Revises: 0011_papers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_engine"
down_revision = "0011_papers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    person = sa.table(
        "person", sa.column("id"), sa.column("nysid"), sa.column("version", sa.Integer)
    )
    first = sa.select(sa.func.min(person.c.id)).group_by(person.c.nysid)
    op.execute(
        person.update()
        .where(person.c.nysid.is_not(None), person.c.id.not_in(first.scalar_subquery()))
        .values(nysid=None, version=person.c.version + 1)
    )
    where = sa.column("nysid").is_not(None)
    op.drop_index("ix_person_nysid", table_name="person")
    op.create_index(
        "ix_person_nysid",
        "person",
        ["nysid"],
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_person_nysid", table_name="person")
    op.create_index("ix_person_nysid", "person", ["nysid"])
