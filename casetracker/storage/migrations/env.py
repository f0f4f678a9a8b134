"""Alembic environment: always run on the connection that casetracker opened."""

from __future__ import annotations

from alembic import context

from casetracker.domain.models import Base
from casetracker.storage.migrate import include_name, include_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("casetracker migrations run through casetracker.storage.migrate only")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=True,
    compare_type=True,
    include_name=include_name,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
