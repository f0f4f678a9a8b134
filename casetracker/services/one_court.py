"""Actions that act on a whole court's motions (a court list, consent to every eligible
motion) act within one county: each county's court and DA's office are separate, and a list
that mixed Bronx, Kings, New York and Queens motions would be filed in no court at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import County
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import Case, Motion

_CHUNK = 500


def counties_of(session: Session, motion_ids: Sequence[int]) -> Counter[County | None]:
    """How many of the motions come from each county (None: the case has no county)."""
    found: Counter[County | None] = Counter()
    ids = list(dict.fromkeys(motion_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Case.county, func.count())
            .join(Motion, Motion.case_id == Case.id)
            .where(Motion.id.in_(ids[start : start + _CHUNK]))
            .group_by(Case.county)
        )
        for county, n in rows:
            found[county] += n
    return found


def one_county(counts: Counter[County | None], what: str) -> County:
    """The one county of `counts`, or a refusal that asks the user to choose."""
    if None in counts:
        raise InvalidValueError(
            f"{counts[None]:,} of the motions for {what} have no county on their case; a "
            "court's motions must say which court they belong to. Correct those cases' "
            "county first; nothing was done."
        )
    if len(counts) > 1:
        listed = ", ".join(f"{c.label} {n:,}" for c, n in counts.most_common() if c)
        raise InvalidValueError(
            f"The motions for {what} come from several counties ({listed}); each county's "
            "court is separate. Choose the county; nothing was done."
        )
    if not counts:
        raise InvalidValueError(f"There are no motions for {what}; nothing was done.")
    county = next(iter(counts))
    assert county is not None
    return county
