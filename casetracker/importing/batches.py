"""The past imports, newest first: what each batch brought in, how much of it has been worked on
since, and whether it can still be undone (the rule `commit.undo_batch` enforces)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.models import ImportBatch, Motion, MotionEvent


@dataclass(frozen=True)
class BatchSummary:
    id: int
    file_name: str
    sheet: str | None
    kind: MotionKind | None
    imported_by: str
    imported_at: datetime
    # Motions the import created, and how many of them have moved on or been changed since;
    # None once the batch is undone, because the undo itself changed every one.
    motions: int
    worked_on: int | None
    undone_by: str | None
    undone_at: datetime | None
    # What the file held: imported, errors, duplicates, already_present, skipped, ...
    counts: dict[str, Any]
    can_undo: bool
    why_not: str

    @property
    def status(self) -> str:
        if self.undone_at is None:
            return "Active"
        return f"Undone by {self.undone_by} on {local_date(self.undone_at)}"


def local_date(moment: datetime) -> str:
    """A stored (UTC) time as the office's calendar day."""
    return f"{moment.astimezone():%Y-%m-%d}"


def first_worked_on(session: Session, batch_id: int) -> int | None:
    """A motion of the batch that has been worked on since the import, if any: it has left
    intake, or it has a second history event (an imported motion has exactly one, the import,
    until someone touches it). The rule undo_batch enforces and list_batches counts by."""
    moved = session.scalars(
        select(Motion.id)
        .where(Motion.import_batch_id == batch_id, Motion.stage != Stage.INTAKE)
        .limit(1)
    ).first()
    if moved is not None:
        return moved
    return session.scalars(
        select(MotionEvent.motion_id)
        .join(Motion, Motion.id == MotionEvent.motion_id)
        .where(Motion.import_batch_id == batch_id)
        .group_by(MotionEvent.motion_id)
        .having(func.count() > 1)
        .limit(1)
    ).first()


def list_batches(session: Session) -> list[BatchSummary]:
    """Every import batch, newest first, in one statement however many motions there are."""
    # first_worked_on's rule, counted for every batch at once.
    touched = (
        select(MotionEvent.motion_id)
        .group_by(MotionEvent.motion_id)
        .having(func.count() > 1)
        .subquery("touched")
    )
    worked = or_(Motion.stage != Stage.INTAKE, touched.c.motion_id.is_not(None))
    per_batch = (
        select(
            Motion.import_batch_id.label("batch_id"),
            func.count().label("motions"),
            func.sum(case((worked, 1), else_=0)).label("worked_on"),
        )
        .outerjoin(touched, touched.c.motion_id == Motion.id)
        .where(Motion.import_batch_id.is_not(None))
        .group_by(Motion.import_batch_id)
        .subquery("per_batch")
    )
    rows = session.execute(
        select(
            ImportBatch,
            func.coalesce(per_batch.c.motions, 0),
            func.coalesce(per_batch.c.worked_on, 0),
        )
        .outerjoin(per_batch, per_batch.c.batch_id == ImportBatch.id)
        .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    ).all()
    return [_summary(batch, int(motions), int(worked_on)) for batch, motions, worked_on in rows]


def _summary(batch: ImportBatch, motions: int, worked_on: int) -> BatchSummary:
    if batch.undone_at is not None:
        why_not = f"already undone by {batch.undone_by} on {local_date(batch.undone_at)}"
    elif worked_on == 1:
        why_not = f"1 of its {motions:,} motions has been worked on"
    elif worked_on:
        why_not = f"{worked_on:,} of its {motions:,} motions have been worked on"
    else:
        why_not = ""
    return BatchSummary(
        id=batch.id,
        file_name=batch.file_name,
        sheet=batch.sheet,
        kind=_kind(batch.mapping),
        imported_by=batch.imported_by,
        imported_at=batch.imported_at,
        motions=motions,
        worked_on=None if batch.undone_at is not None else worked_on,
        undone_by=batch.undone_by,
        undone_at=batch.undone_at,
        counts=dict(batch.counts or {}),
        can_undo=not why_not,
        why_not=why_not,
    )


def _kind(mapping: dict[str, Any] | None) -> MotionKind | None:
    value = (mapping or {}).get("kind")
    try:
        return MotionKind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def motions_by_row(session: Session, batch_id: int, rows: Iterable[int]) -> dict[int, int]:
    """The motion each row of an import made (row as the user sees it -> motion id); a row
    that made none (refused, or already present) is not in it."""
    wanted = sorted(set(rows))
    found: dict[int, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Motion.import_row, Motion.id).where(
            Motion.import_batch_id == batch_id, Motion.import_row.in_(chunk)
        )
        found.update({row: motion_id for row, motion_id in session.execute(query) if row})
    return found
