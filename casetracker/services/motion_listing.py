"""The motion list as the command line prints it (`motions`): the motions matching a filter,
as the person asking may see them, with the search put on the audit trail. The command only
parses and prints; reading, the sealed-records rule and the audit entry live here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casetracker.accounts import audit
from casetracker.accounts.sealed import sealed_filter
from casetracker.screening.service import stored_screenings
from casetracker.services.queries import MotionFilter, MotionRow, list_motions
from casetracker.storage.db import Database


@dataclass(frozen=True)
class MotionListing:
    rows: list[MotionRow]
    # Sealed motions matching the filter that this role may not see by name.
    hidden: int
    # Each listed motion's stored screening (services.screening JSON), when asked for.
    screenings: dict[int, Any] = field(default_factory=dict)


def list_for(
    db: Database,
    actor: Any,
    flt: MotionFilter,
    *,
    limit: int | None = None,
    with_screenings: bool = False,
    described: dict[str, Any] | None = None,
) -> MotionListing:
    """The motions matching `flt` that `actor` may see (in id order, at most `limit`), and
    the audit entry of the search (`described`: the filter in the user's words)."""
    with db.reading() as session:
        flt, hidden = sealed_filter(session, actor, flt)
        rows = list_motions(session, flt, limit=limit)
        screenings = stored_screenings(session, [row.id for row in rows]) if with_screenings else {}
    audit.record_now(db, actor, audit.SEARCH, "motions list", filters=described, rows=len(rows))
    return MotionListing(rows, hidden, screenings)
