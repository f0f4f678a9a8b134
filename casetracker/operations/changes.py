"""What an operation changed: which records (so open views refresh them) and how to undo it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UndoEntry:
    """What undo would do: reverse the history group `group_id` (services.motion_ops.undo).
    `label` names the action for the undo menu ("Consent to 636 motions"); `redo(db, actor)`
    makes the action again after an undo and returns its Changes (None: it cannot be)."""

    label: str
    group_id: str
    motion_ids: frozenset[int] = frozenset()
    redo: Callable[[Any, Any], Changes] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Changes:
    motions: frozenset[int] = frozenset()
    people: frozenset[int] = frozenset()
    court_lists: frozenset[int] = frozenset()
    settings: frozenset[str] = frozenset()
    # Plain words for the status bar and the undo menu, e.g. "Consent to 636 motions".
    summary: str = ""
    undo: UndoEntry | None = None
    # Something changed that has no id of its own (a whole import, a change from elsewhere):
    # views re-read everything they show.
    everything: bool = False
    # Records the action left as they were, each with why, by name ("Díaz, Ana 2016KN012345
    # was opposed by ada.smith at 14:02 after you opened this"): the user must be told.
    refused: tuple[str, ...] = ()
    # Where the change came from; False for one noticed in another process or user's work.
    local: bool = field(default=True, compare=False)

    @classmethod
    def of_motions(
        cls, ids: Iterable[int], summary: str = "", undo: UndoEntry | None = None
    ) -> Changes:
        return cls(motions=frozenset(ids), summary=summary, undo=undo)

    @property
    def empty(self) -> bool:
        return not (
            self.motions or self.people or self.court_lists or self.settings or self.everything
        )

    def __or__(self, other: Changes) -> Changes:
        """Both changes together (an operation made of several steps); the later summary and
        undo entry win when both have one."""
        return Changes(
            motions=self.motions | other.motions,
            people=self.people | other.people,
            court_lists=self.court_lists | other.court_lists,
            settings=self.settings | other.settings,
            summary=other.summary or self.summary,
            undo=other.undo or self.undo,
            everything=self.everything or other.everything,
            refused=self.refused + other.refused,
            local=self.local and other.local,
        )
