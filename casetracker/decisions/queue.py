"""The prosecutor's queue as plain rows: motions waiting for a decision, oldest first, with
the screening reasons beside each.

The queue holds every motion in the view (consent to all eligible must mean all), about
11,000 at 100,000 motions, so a row carries only what the table shows and the decisions
need. The reasons come as the stored JSON text and are parsed only for a row someone looks
at: parsing all of them was most of the read's time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import County, Decision, MotionKind, ScreeningResult, Stage
from casetracker.domain.models import Case, Motion, Person
from casetracker.services.queries import MotionFilter, apply_filter, first_charge_section
from casetracker.storage.settings import workflow_settings

QUEUE_STAGES = (Stage.SCREENED,)


@dataclass(frozen=True)
class QueueFilter:
    kinds: tuple[MotionKind, ...] = ()
    counties: tuple[County, ...] = ()
    results: tuple[ScreeningResult, ...] = ()
    prosecutor: str | None = None
    stages: tuple[Stage, ...] = QUEUE_STAGES
    # Oppositions recorded but not yet signed off by a supervisor, instead of the queue.
    awaiting_signoff: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: MotionKind
    stage_entered_at: datetime
    last_name: str
    first_name: str
    docket: str | None
    summons_number: str | None
    charge: str | None
    county: County | None
    screening_result: ScreeningResult | None
    screening_ruleset: str | None
    # As stored (JSON text), parsed on first use: see screening_reasons.
    reasons_json: str | None
    decision: Decision | None
    decided_by: str | None
    version: int

    @property
    def person_name(self) -> str:
        return f"{self.last_name}, {self.first_name}" if self.first_name else self.last_name

    @property
    def reference(self) -> str:
        return self.docket or self.summons_number or ""

    @property
    def waiting_days(self) -> int:
        return (datetime.now(self.stage_entered_at.tzinfo) - self.stage_entered_at).days

    @cached_property
    def screening_reasons(self) -> list[Any]:
        # PostgreSQL hands a JSON column over parsed unless it is read as text, as here.
        return json.loads(self.reasons_json) if self.reasons_json else []

    @property
    def first_reason(self) -> str:
        """The first reason's text: the table's "Why" column."""
        reasons = self.screening_reasons
        return str(reasons[0].get("because", "")) if reasons else ""

    @property
    def reasons_text(self) -> str:
        return "\n".join(
            f"• {r.get('because', '')} [{r.get('rule', '')}]" for r in self.screening_reasons
        )


def _query(flt: QueueFilter, columns: tuple[Any, ...]) -> Select[Any]:
    query = (
        select(*columns)
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
    )
    # The queue's own choices on top of the filter every motion list shares.
    shared = MotionFilter(
        stages=() if flt.awaiting_signoff else flt.stages,
        kinds=flt.kinds,
        counties=flt.counties,
        prosecutor=flt.prosecutor,
    )
    query = apply_filter(query, shared)
    if flt.awaiting_signoff:
        query = query.where(Motion.stage == Stage.OPPOSED, Motion.supervisor_signoff_by.is_(None))
    if flt.results:
        query = query.where(Motion.screening_result.in_(flt.results))
    return query


def list_queue(
    session: Session, flt: QueueFilter | None = None, *, limit: int | None = None
) -> list[QueueRow]:
    flt = flt or QueueFilter()
    if flt.awaiting_signoff and not workflow_settings(session).opposition_needs_signoff:
        return []
    query = _query(
        flt,
        (
            Motion.id,
            Motion.kind,
            Motion.stage_entered_at,
            Person.last_name,
            Person.first_name,
            Case.docket,
            Case.summons_number,
            first_charge_section(),
            Case.county,
            Motion.screening_result,
            Motion.screening_ruleset,
            # Text, not JSON: no parsing of every row's reasons (see the module's note).
            cast(Motion.screening_reasons, Text),
            Motion.decision,
            Motion.decided_by,
            Motion.version,
        ),
    ).order_by(Motion.stage_entered_at, Motion.id)
    if limit is not None:
        query = query.limit(limit)
    # Through the connection: plain rows, without the ORM's per-row work (no entities here).
    return [QueueRow(*row) for row in session.connection().execute(query)]


def count_queue(session: Session, flt: QueueFilter | None = None) -> int:
    return int(session.scalar(_query(flt or QueueFilter(), (func.count(Motion.id),))) or 0)
