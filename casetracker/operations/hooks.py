"""Hooks every operation runs inside its transaction: before the body (a permission check
raises to refuse, and nothing is written) and after it (an audit row, written in the same
transaction, so the action and its record commit together or not at all)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from casetracker.operations.actor import Actor
    from casetracker.operations.changes import Changes

BeforeHook = Callable[[Session, "Actor", str], None]
AfterHook = Callable[[Session, "Actor", str, "Changes"], None]

_before: list[BeforeHook] = []
_after: list[AfterHook] = []


def add_before(hook: BeforeHook) -> BeforeHook:
    """Register `hook(session, actor, op_name)`; adding the same hook twice keeps one."""
    if hook not in _before:
        _before.append(hook)
    return hook


def add_after(hook: AfterHook) -> AfterHook:
    """Register `hook(session, actor, op_name, changes)`; adding the same hook twice keeps one."""
    if hook not in _after:
        _after.append(hook)
    return hook


def remove(hook: BeforeHook | AfterHook) -> None:
    for hooks in (_before, _after):
        if hook in hooks:
            hooks.remove(hook)  # type: ignore[arg-type]


def before_hooks() -> tuple[BeforeHook, ...]:
    return tuple(_before)


def after_hooks() -> tuple[AfterHook, ...]:
    return tuple(_after)
