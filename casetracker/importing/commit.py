"""Writing an import in one transaction, and undoing a batch.

Ids are allocated up front (SQLite: after the highest id, inside the write transaction;
PostgreSQL: from each table's own sequence), so every table is one bulk insert with no
round trip per row. A crash or kill mid-import rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.errors import NotFoundError, TransitionError
from casetracker.domain.models import Case, Charge, ImportBatch, Motion, MotionEvent, Person
from casetracker.domain.workflow import apply_transition, new_group_id
from casetracker.importing.batches import first_worked_on
from casetracker.importing.bulk_insert import (
    Beside,
    BulkWriter,
    Progress,
    TableRows,
    allocate,
)
from casetracker.importing.plan import ImportPlan
from casetracker.importing.references import check_new_references, foreign_keys_enforced
from casetracker.importing.rows import ImportRows, table
from casetracker.importing.search_queue import queued_in_one_statement
from casetracker.storage.settings import workflow_settings

# SQLite's default 2 MB page cache spills dirty index pages to the log again and again in a
# 100,000-row transaction (measured: write phase 3x slower); the import's connection gets more.
_SQLITE_IMPORT_CACHE = "PRAGMA cache_size=-131072"
_SQLITE_DEFAULT_CACHE = "PRAGMA cache_size=-2000"


def lock_for_import(session: Session) -> None:
    """Serialize imports: two at once could both decide a case is new."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    else:
        session.execute(text(_SQLITE_IMPORT_CACHE))


def release_import_cache(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(_SQLITE_DEFAULT_CACHE))


def start_batch(session: Session, file_name: str, sha256: str, user: str) -> ImportBatch:
    """The batch row, written first: on SQLite this takes the write lock before any reading."""
    batch = ImportBatch(
        file_name=file_name[:400],
        content_hash=sha256,
        sheet=None,
        mapping={},
        counts={},
        imported_by=user,
    )
    session.add(batch)
    session.flush()
    return batch


def commit_plan(
    session: Session,
    plan: ImportPlan,
    batch: ImportBatch,
    progress: Progress | None = None,
) -> None:
    describe_batch(session, plan, batch)
    _write(session, plan, batch, progress)
    record_counts(session, plan, batch)


def describe_batch(session: Session, plan: ImportPlan, batch: ImportBatch) -> None:
    batch.sheet = plan.sheet[:200]
    batch.mapping = {
        "header_row": plan.header_row,
        "kind": plan.kind.value,
        "columns": plan.mapping.describe(),
    }
    session.flush()


def record_counts(session: Session, plan: ImportPlan, batch: ImportBatch) -> None:
    counts = asdict(plan.counts)
    counts["imported"] = counts.pop("valid")
    batch.counts = counts
    session.flush()


def _write(
    session: Session, plan: ImportPlan, batch: ImportBatch, progress: Progress | None
) -> None:
    """Tables in the order their references run: people first, linked beforehand. (A bulk
    load on SQLite checks and stores a part at a time instead: importing/stream.py.)"""
    plan.link_people()
    connection = session.connection()
    records = plan.records
    n_charges = sum(len(r.charges) for r in records)
    person_ids = allocate(connection, table(Person), len(plan.new_people))
    case_ids = allocate(connection, table(Case), len(records))
    charge_ids = allocate(connection, table(Charge), n_charges)
    motion_ids = allocate(connection, table(Motion), len(records))
    event_ids = allocate(connection, table(MotionEvent), len(records))
    rows = ImportRows(plan, batch)
    # Each table's new ids and its values common to all rows: what the reference check needs.
    written: dict[Table, tuple[Sequence[int], dict[str, Any]]] = {}

    def noted(ids: Sequence[int], made: TableRows) -> TableRows:
        written[made.table] = (ids, made.constants)
        return made

    def tables() -> Iterator[TableRows]:
        # Made one table at a time, on the writer's second thread: plain Python only.
        yield noted(person_ids, rows.people(person_ids, plan.new_people))
        yield noted(case_ids, rows.cases(case_ids, records, person_ids))
        yield noted(charge_ids, rows.charges(charge_ids, records, case_ids))
        yield noted(motion_ids, rows.motions(motion_ids, records, case_ids, person_ids))
        yield noted(event_ids, rows.events(event_ids, records, motion_ids))

    writer = BulkWriter(connection, len(plan.new_people) + len(records) * 3 + n_charges, progress)
    # The search for possible matches is Python work SQLite need not wait for.
    with queued_in_one_statement(connection), Beside(plan.find_possible_matches) as matches:
        matches.start()
        writer.write(tables())
    if not foreign_keys_enforced(connection):
        check_new_references(connection, written)


def undo_batch(session: Session, batch_id: int, user: str) -> int:
    """Withdraw every motion of a batch, if none has moved on; returns how many.

    History is append-only, so the motions stay, withdrawn, with the undo recorded on each;
    the batch is marked undone, and its cases no longer count as already imported.
    """
    require(session, user, "import.run")
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"There is no import batch {batch_id}.")
    if batch.undone_at is not None:
        raise TransitionError(
            f"Import batch {batch_id} was already undone by {batch.undone_by} "
            f"on {batch.undone_at.astimezone():%Y-%m-%d %H:%M}."
        )
    which = first_worked_on(session, batch_id)
    if which is not None:
        raise TransitionError(
            f"Import batch {batch_id} cannot be undone: motion {which} has been worked on "
            "since the import. Withdraw motions one by one instead."
        )
    reason = f"Import batch {batch_id} undone by {user}"
    settings = workflow_settings(session)
    group = new_group_id()
    at = utcnow()
    motions = session.scalars(
        select(Motion).where(Motion.import_batch_id == batch_id).order_by(Motion.id)
    ).all()
    for motion in motions:
        session.add(
            apply_transition(
                motion,
                Stage.WITHDRAWN,
                reason=reason,
                user=user,
                at=at,
                settings=settings,
                group_id=group,
            )
        )
    batch.undone_by = user
    batch.undone_at = at
    session.flush()
    return len(motions)
