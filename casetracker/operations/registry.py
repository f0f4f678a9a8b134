"""The `operation` decorator: one unit of work per user action, with the hooks around it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol

from sqlalchemy.orm import Session

from casetracker.operations import hooks
from casetracker.operations.actor import Actor
from casetracker.operations.changes import Changes
from casetracker.storage.db import Database

P = ParamSpec("P")

_REGISTRY: dict[str, Callable[..., Changes]] = {}


class Operation(Protocol[P]):
    name: str
    # The body alone, for composing inside another operation's transaction.
    body: Callable[Concatenate[Session, Actor, P], Changes]

    def __call__(
        self, db: Database, actor: Actor | str, *args: P.args, **kw: P.kwargs
    ) -> Changes: ...


def operation(
    name: str,
) -> Callable[[Callable[Concatenate[Session, Actor, P], Changes]], Operation[P]]:
    """Make `fn(session, actor, ...) -> Changes` callable as `fn(db, actor, ...)`.

    `name` is the permission key (resources/permissions.json). The before-hooks, the body
    and the after-hooks share one transaction: a refusal or an error anywhere saves nothing.
    """

    def wrap(fn: Callable[Concatenate[Session, Actor, P], Changes]) -> Operation[P]:
        if name in _REGISTRY:
            raise ValueError(f"operation {name!r} is defined twice")

        @functools.wraps(fn)
        def run(db: Database, actor: Actor | str, *args: P.args, **kw: P.kwargs) -> Changes:
            who = Actor.of(actor)
            with db.unit_of_work() as session:
                for before in hooks.before_hooks():
                    before(session, who, name)
                changes = fn(session, who, *args, **kw)
                for after in hooks.after_hooks():
                    after(session, who, name, changes)
            return changes

        op: Any = run
        op.name = name
        op.body = fn
        _REGISTRY[name] = op
        return op

    return wrap


def operation_names() -> list[str]:
    """Every operation defined so far (the permission keys)."""
    return sorted(_REGISTRY)
