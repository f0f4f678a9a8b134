"""Sealed records: once a motion is granted, its case is sealed by law, and only roles with
the "sealed records" permission (sealed.view: supervisors and administrators by default) see
it by name. Everyone else sees it in counts, never by name: search, the desk, the motions
list, reports and exports leave its rows out and say how many they left out.

For a report or export: `hides_sealed(actor, session)` says whether to leave sealed rows out;
`SEALED` is the SQL condition of a sealed motion, `NOT_SEALED` its opposite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from casetracker.accounts.roles import SEALED_RECORDS, permission_table
from casetracker.domain.enums import CourtOutcome
from casetracker.domain.models import Motion

SEALED = Motion.outcome == CourtOutcome.GRANTED
NOT_SEALED = or_(Motion.outcome.is_(None), Motion.outcome != CourtOutcome.GRANTED)
HIDDEN_NAME = "(sealed record)"


def hides_sealed(actor: Any, session: Session | None = None) -> bool:
    """Whether `actor` must not see sealed records by name. With a session the role is read
    from the database (what the core trusts); without one, from the actor's own `role`
    (an operations.Actor the window signed in). A single-user database hides nothing."""
    if session is not None:
        from casetracker.accounts.permissions import allowed

        return not allowed(session, actor, SEALED_RECORDS)
    role = getattr(actor, "role", None)
    if role is None:
        return False
    return not permission_table().allows(role, SEALED_RECORDS)


def is_sealed(motion: Motion) -> bool:
    return motion.outcome == CourtOutcome.GRANTED


def left_out_note(count: int) -> str:
    """The line a list or export prints when it left sealed records out."""
    if not count:
        return ""
    noun = "record" if count == 1 else "records"
    return f"{count:,} sealed {noun} not listed by name (your role cannot see sealed records)."


def sealed_filter(session: Session, actor: Any, flt: Any) -> tuple[Any, int]:
    """`flt` (a services.queries.MotionFilter) as `actor` may see it, and how many sealed
    motions matching it were left out."""
    from dataclasses import replace

    from casetracker.services.queries import count_motions

    if not hides_sealed(actor, session):
        return flt, 0
    shown = replace(flt, hide_sealed=True)
    return shown, count_motions(session, flt) - count_motions(session, shown)


def sealed_ids(session: Session, motion_ids: Any) -> set[int]:
    """Which of these motions are sealed: for lists made of motions (a court list) that
    must leave them out for a role that may not see them."""
    from sqlalchemy import select

    ids = list(motion_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(session.scalars(select(Motion.id).where(Motion.id.in_(chunk), SEALED)))
    return found


def leave_out_sealed(
    session: Session, actor: Any, rows: list[Any], motion_id: Any = None
) -> tuple[list[Any], int]:
    """`rows` (one per motion; `motion_id(row)` its motion, else `row.motion_id`) without
    those of sealed motions when `actor` may not see them, and how many were left out."""
    if not rows or not hides_sealed(actor, session):
        return rows, 0
    of = motion_id or (lambda row: row.motion_id)
    found = sealed_ids(session, [of(row) for row in rows])
    kept = [row for row in rows if of(row) not in found]
    return kept, len(rows) - len(kept)


def sealed_people(session: Session, person_ids: Any) -> set[int]:
    """Which of these people are known only through sealed cases: at least one sealed motion
    and none that is not. A role that may not see sealed records sees such a person nowhere
    by name, so a list of people (intake's possible matches, an import's) shows them only in
    a count. Someone with another, unsealed motion is seen by name through that one."""
    from sqlalchemy import select

    ids = list(dict.fromkeys(person_ids))
    sealed: set[int] = set()
    open_: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for person_id, granted in session.execute(
            select(Motion.person_id, SEALED).where(Motion.person_id.in_(chunk)).distinct()
        ):
            (sealed if granted else open_).add(person_id)
    return sealed - open_


def sealed_case_ids(session: Session, person_id: int) -> set[int]:
    """The person's cases that are sealed (a motion on them granted)."""
    from sqlalchemy import select

    return set(session.scalars(select(Motion.case_id).where(Motion.person_id == person_id, SEALED)))


def refuse_sealed_person(session: Session, actor: Any, person_id: int) -> bool:
    """For a view of one person's record: raise PermissionDeniedError when `actor` may not
    see sealed records and the person is known only through them. True when the actor's
    view must leave the person's sealed cases out (they have others)."""
    if not hides_sealed(actor, session):
        return False
    if sealed_people(session, [person_id]):
        from casetracker.accounts.errors import PermissionDeniedError

        raise PermissionDeniedError(
            f"Person {person_id} is a sealed record: ask a supervisor (it needs the sealed "
            "records permission)."
        )
    return True


def refuse_sealed_motions(session: Session, actor: Any, motion_ids: Any, what: str) -> None:
    """For work that names every one of these motions' people (papers): raise
    PermissionDeniedError when `actor` may not see sealed records and some are sealed."""
    if not hides_sealed(actor, session):
        return
    found = sealed_ids(session, motion_ids)
    if found:
        from casetracker.accounts.errors import PermissionDeniedError
        from casetracker.domain.words import counted

        raise PermissionDeniedError(
            f"{what} would name {counted(len(found), 'sealed record')}: ask a supervisor "
            "(it needs the sealed records permission)."
        )


def sealed_matches_note(count: int) -> str:
    """What a list of possible matches says instead of the names of sealed people in it."""
    if not count:
        return ""
    from casetracker.domain.words import counted

    return (
        f"{counted(count, 'possible match', 'possible matches')} in a sealed record: "
        "ask a supervisor."
    )
