"""History rows as sentences people read ("Added to court list Kings AP1 2026-12-15 by
ada.smith"), instead of the codes the database keeps (`add_to_list`, `verify`, `import`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.enums import Stage
from casetracker.domain.models import CourtList
from casetracker.domain.workflow import FIELDS

# What happened, in the past tense, by the action code the history keeps.
_DONE = {
    "intake": "Taken in",
    "import": "Imported from a list",
    "verify": "Record verified",
    "screen": "Screened",
    "consent": "Consented",
    "oppose": "Opposed",
    "request_info": "More information asked for",
    "file": "Filed",
    "calendar": "Calendared",
    "adjourn": "Adjourned",
    "grant": "Granted",
    "deny": "Denied",
    "seal": "Sealing confirmed",
    "notify": "Notification recorded",
    "close": "Closed",
    "withdraw": "Withdrawn",
    "signoff": "Signed off by a supervisor",
    "undo": "An earlier change undone",
    "change": "Details changed",
    "edit": "Details corrected",
    "proceed_anyway": "Set to proceed although expunged by law",
    "papers": "Papers generated",
}

# Fields a sentence names when they changed; the rest are in the row's details.
_TOLD = (
    "assigned_prosecutor",
    "court_date",
    "court_part",
    "filed_date",
    "order_date",
    "sealing_confirmed_date",
    "notification_outcome",
    "decision_reason_code",
    "screening_result",
)


def history_sentence(
    action: str,
    user: str,
    from_stage: Stage | None,
    to_stage: Stage,
    changes: Mapping[str, Any] | None,
    court_list: str | None = None,
) -> str:
    """One history row in words: what happened, the facts it set, and who did it."""
    changes = changes or {}
    if action == "assign":
        after = _after(changes.get("assigned_prosecutor"))
        what = f"Assigned to ADA {after}" if after else "Prosecutor unassigned"
    elif action == "add_to_list":
        what = f"Added to court list {court_list}" if court_list else "Added to a court list"
    else:
        what = _DONE.get(action) or action.replace("_", " ").capitalize()
        if from_stage is not None and from_stage != to_stage and action not in _DONE:
            what += f" ({from_stage.label} → {to_stage.label})"
        facts = [
            f"{FIELDS[name].label} {_shown(_after(changes[name]))}"
            for name in _TOLD
            if name in changes and _after(changes[name]) not in (None, "")
        ]
        if facts:
            what += ": " + ", ".join(facts)
    return f"{what} by {user}"


def court_list_names(session: Session, events: list[Any]) -> dict[int, str]:
    """'Kings AP1 2026-12-15' for each court list the events name."""
    ids = {
        int(after)
        for e in events
        if e.action == "add_to_list"
        and (after := _after((e.changes or {}).get("court_list_id"))) is not None
    }
    return court_list_names_by_id(session, ids)


def court_list_names_by_id(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """'Kings AP1 2026-12-15' for each of these court lists."""
    names: dict[int, str] = {}
    ids = set(ids)
    if not ids:
        return names
    for court_list in session.scalars(select(CourtList).where(CourtList.id.in_(ids))):
        county = court_list.county.label if court_list.county else None
        parts = [p for p in (county, court_list.part, _shown(court_list.court_date)) if p]
        names[court_list.id] = " ".join(parts)
    return names


def _after(change: Any) -> Any:
    # History keeps [before, after] per field.
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[1]
    return change


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
