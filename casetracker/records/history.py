"""The records' history: writing one change, and the refusal of a stale edit that says who
changed what since the editor read the record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.errors import StaleEditError
from casetracker.domain.models import Motion, RecordEvent
from casetracker.domain.workflow import new_group_id


def actor_name(actor: Any) -> str:
    """Who acts: an operations Actor (its name) or a plain user name."""
    name = getattr(actor, "name", actor)
    return str(name or "unknown")


@dataclass
class RecordChange:
    """What one correction did: the history group to undo it by, a summary for the status bar
    and undo menu, and the people and motions whose views must be read again."""

    group_id: str
    summary: str
    people: set[int] = field(default_factory=set)
    motions: set[int] = field(default_factory=set)
    # The id of what was made (a new charge, flag or community event), else None.
    created_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    # The history rows written (shared with the Recorder, so later writes count too).
    events: list[RecordEvent] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.events)


class Recorder:
    """Writes the events of one user action under one group, at one time."""

    def __init__(self, session: Session, actor: Any, reason: str = "", group_id: str | None = None):
        self.session = session
        self.user = actor_name(actor)
        self.reason = (reason or "").strip()
        self.group_id = group_id or new_group_id()
        self.at: datetime = utcnow()
        self.events: list[RecordEvent] = []

    def change(self, summary: str, **kwargs: Any) -> RecordChange:
        return RecordChange(self.group_id, summary, events=self.events, **kwargs)

    def write(
        self,
        entity: str,
        entity_id: int,
        action: str,
        changes: Mapping[str, Any],
        *,
        person_id: int | None = None,
        case_id: int | None = None,
        version: int | None = None,
        undoes_group: str | None = None,
        reason: str | None = None,
    ) -> RecordEvent | None:
        if not changes:
            return None
        event = RecordEvent(
            at=self.at,
            user=self.user,
            entity=entity,
            entity_id=entity_id,
            person_id=person_id,
            case_id=case_id,
            action=action,
            reason=self.reason if reason is None else reason,
            changes=dict(changes),
            version=version,
            group_id=self.group_id,
            undoes_group=undoes_group,
        )
        self.session.add(event)
        self.events.append(event)
        return event


def check_version(
    session: Session,
    *,
    what: str,
    expected: int | None,
    current: int,
    entities: Iterable[str],
    key: str,
    key_id: int,
) -> None:
    """Refuse an edit made from a copy of the record older than the stored one, naming the
    changes made since (who, when, which fields) so the person knows what to look at."""
    if expected is None or expected == current:
        return
    column = {
        "entity_id": RecordEvent.entity_id,
        "person_id": RecordEvent.person_id,
        "case_id": RecordEvent.case_id,
    }[key]
    since = session.scalars(
        select(RecordEvent)
        .where(
            RecordEvent.entity.in_(list(entities)),
            column == key_id,
            RecordEvent.version > expected,
        )
        .order_by(RecordEvent.id)
    ).all()
    if since:
        told = "; ".join(
            f"{event.user} at {event.at:%Y-%m-%d %H:%M} ({describe_fields(event)})"
            for event in since[-3:]
        )
        who = f"by {told}"
    else:
        who = "by someone else"
    raise StaleEditError(
        f"{what} was changed {who} after you opened it; nothing was saved. "
        "Reload it and make your change again."
    )


def describe_fields(event: RecordEvent) -> str:
    if event.action in ("add", "remove") and event.entity in ("charge", "flag", "notification"):
        noun = {"charge": "charge", "flag": "flag"}.get(event.entity, "notification attempt")
        return f"{noun} {'added' if event.action == 'add' else 'removed'}"
    names = [name for name in event.changes if name not in _DERIVED]
    return ", ".join(name.replace("_", " ") for name in names) or event.action


# Fields stored alongside what was typed (the name key of a name, the kind of a disposition):
# recorded so an undo puts them back, but not named to people as changes of their own.
_DERIVED = frozenset({"name_key", "nysid_as_typed", "disposition_kind_derived", "docket_as_typed"})


def motions_of_person(session: Session, person_id: int) -> set[int]:
    return set(session.scalars(select(Motion.id).where(Motion.person_id == person_id)))


def motions_of_case(session: Session, case_id: int) -> set[int]:
    return set(session.scalars(select(Motion.id).where(Motion.case_id == case_id)))
