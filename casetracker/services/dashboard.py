"""The office at a glance: motions per stage, this week's movement, how old the backlog is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.domain.workflow import FINAL_STAGES
from casetracker.services.queries import stage_counts

# (label, lowest days, highest days or None)
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under 30 days", 0, 29),
    ("30–89 days", 30, 89),
    ("90–179 days", 90, 179),
    ("180–364 days", 180, 364),
    ("a year or more", 365, None),
)


@dataclass(frozen=True)
class Dashboard:
    per_stage: dict[Stage, int]
    # Moves in the last seven days, by the stage they went to (undos not counted).
    this_week: dict[Stage, int]
    # Open motions by how long they have waited in their stage.
    backlog: dict[str, int]
    week_start: datetime


def dashboard(session: Session, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    since = now - timedelta(days=7)
    moved = session.execute(
        select(MotionEvent.to_stage, func.count())
        .where(
            MotionEvent.at >= since,
            MotionEvent.action != "undo",
            MotionEvent.from_stage.is_not(None),
            MotionEvent.from_stage != MotionEvent.to_stage,
        )
        .group_by(MotionEvent.to_stage)
    ).all()
    backlog: dict[str, int] = {}
    open_stages = [s for s in Stage if s not in FINAL_STAGES]
    for label, low, high in AGE_BUCKETS:
        query = select(func.count(Motion.id)).where(
            Motion.stage.in_(open_stages), Motion.stage_entered_at <= now - timedelta(days=low)
        )
        if high is not None:
            query = query.where(Motion.stage_entered_at > now - timedelta(days=high + 1))
        backlog[label] = int(session.scalar(query) or 0)
    return Dashboard(
        per_stage=stage_counts(session),
        this_week={stage: int(n) for stage, n in moved},
        backlog=backlog,
        week_start=since,
    )
