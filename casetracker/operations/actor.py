"""Who acts: the name recorded in the history, and the role permissions are checked against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str | None = None

    @classmethod
    def of(cls, who: Actor | str) -> Actor:
        """A bare user name (scripts, older callers) is an actor with no role."""
        return who if isinstance(who, Actor) else cls(who)

    def __str__(self) -> str:
        return self.name
