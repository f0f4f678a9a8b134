"""What the desk's motion table shows: the ids of the matching motions in order, then their
rows a page at a time. Filtering, searching and sorting all run in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.models import STAGE_ORDER, CommunityEvent, CourtList, Motion, MotionSearch
from casetracker.services.queries import MotionFilter, MotionRow, apply_filter, motion_rows_query
from casetracker.services.search import refresh_search_index, search_condition

# Column key -> what it sorts by; every key is one the table can show.
SORT_KEYS: dict[str, Any] = {
    "person": MotionSearch.person_key,
    "date_of_birth": MotionSearch.date_of_birth,
    "nysid": MotionSearch.nysid,
    "reference": MotionSearch.reference,
    "charge": MotionSearch.charge,
    "county": MotionSearch.county,
    "kind": Motion.kind,
    # The pipeline order (intake → closed), not alphabetical; one index serves both.
    "stage": STAGE_ORDER,
    "screening": Motion.screening_result,
    # More days in stage = entered earlier.
    "days_in_stage": Motion.stage_entered_at,
    "prosecutor": Motion.assigned_prosecutor,
    "court_date": Motion.court_date,
    "next_step": STAGE_ORDER,
}
_REVERSED = frozenset({"days_in_stage"})


@dataclass(frozen=True)
class DeskQuery:
    """Everything that decides which motions the table shows and in what order."""

    filter: MotionFilter = MotionFilter()
    search: str = ""
    sort: str = "person"
    descending: bool = False


def motion_ids(session: Session, query: DeskQuery) -> list[int]:
    """The ids of every matching motion, in display order."""
    # Motions written since the last read (by anyone, any path) get their search row first,
    # in a unit of work that writes; a reading one (the desk's, after refresh_search) reads
    # the index as it stands.
    refresh_search_index(session)
    # Core, not the ORM: a plain list of 100,000 ids is read twice as fast without it, and
    # the driver's own fetchall (ints need no conversion) halves it again (about 60 to 30 ms
    # at 100,000 motions); the GUI thread also gets the GIL between its rows.
    result = session.connection().execute(desk_statement(session, query))
    try:
        return [motion_id for (motion_id,) in result.cursor.fetchall()]
    finally:
        result.close()


def desk_statement(session: Session, query: DeskQuery) -> Any:
    """The one SELECT of motion ids, in display order, that the desk's table runs."""
    if query.sort not in SORT_KEYS:
        raise ValueError(f"unknown sort column {query.sort!r}")
    key = SORT_KEYS[query.sort]
    by_search_row = query.sort in _SEARCH_COLUMNS
    flt = query.filter
    statement: Any
    if by_search_row:
        statement = select(MotionSearch.motion_id)
        if _filters_motion(flt):
            statement = statement.join(Motion, Motion.id == MotionSearch.motion_id)
        ident: Any = MotionSearch.motion_id
    else:
        statement = select(Motion.id)
        if flt.counties:
            statement = statement.join(MotionSearch, MotionSearch.motion_id == Motion.id)
        ident = Motion.id
    if flt.counties:
        statement = statement.where(MotionSearch.county.in_(flt.counties))
    statement = apply_filter(statement, replace(flt, counties=()))
    if query.search.strip():
        condition = search_condition(session, query.search, ident)
        if condition is not None:
            statement = statement.where(condition)
    descending = query.descending != (query.sort in _REVERSED)
    order = key.desc() if descending else key.asc()
    tie = ident.desc() if descending else ident.asc()
    return statement.order_by(order, tie)


_SEARCH_COLUMNS = frozenset({"person", "date_of_birth", "nysid", "reference", "charge", "county"})


def _filters_motion(flt: MotionFilter) -> bool:
    return bool(
        flt.stages
        or flt.kinds
        or flt.prosecutor
        or flt.event_id is not None
        or flt.court_list_id is not None
        or flt.import_batch_id is not None
        or flt.person_id is not None
        or flt.overdue
        or flt.motion_ids
        or flt.hide_sealed
    )


def rows_for(session: Session, ids: Sequence[int]) -> dict[int, MotionRow]:
    """The table rows of these motions (a page of the table), by id."""
    if not ids:
        return {}
    result = session.execute(motion_rows_query(MotionFilter(motion_ids=tuple(ids))))
    rows = [MotionRow(*row) for row in result]
    return {row.id: row for row in rows}


def matching_rows(session: Session, query: DeskQuery) -> list[MotionRow]:
    """Every row the table shows, in its order: what "export the table as filtered" writes."""
    ids = motion_ids(session, query)
    rows: list[MotionRow] = []
    for start in range(0, len(ids), 900):
        page = ids[start : start + 900]
        found = rows_for(session, page)
        rows.extend(found[i] for i in page if i in found)
    return rows


def prosecutors(session: Session) -> list[str]:
    """Everyone who has a motion assigned, for the filter and bulk-assign lists."""
    return [
        name
        for name in session.scalars(
            select(Motion.assigned_prosecutor)
            .where(Motion.assigned_prosecutor.is_not(None))
            .distinct()
            .order_by(Motion.assigned_prosecutor)
        )
        if name
    ]


def community_events(session: Session) -> list[tuple[int, str]]:
    """(id, "date name") of every community event, newest first, for the intake form."""
    return [
        (e.id, f"{e.event_date.isoformat()} {e.name}")
        for e in session.scalars(select(CommunityEvent).order_by(CommunityEvent.event_date.desc()))
    ]


def court_list_titles(session: Session) -> list[tuple[int, str]]:
    """(id, title) of every court list, latest court date first, for the bulk dialog."""
    return [
        (c.id, c.title)
        for c in session.scalars(select(CourtList).order_by(CourtList.court_date.desc()))
    ]
