"""The permission check every operation makes in the core, whichever client calls it.

A database with no accounts is single-user: everything is allowed, as before accounts. Once
accounts exist, the acting user must be an active account whose role the permission table
(resources/permissions.json) allows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.audit import actor_name
from casetracker.accounts.errors import PermissionDeniedError
from casetracker.accounts.names import user_key
from casetracker.accounts.roles import permission_table
from casetracker.domain.models import Account


def accounts_exist(session: Session) -> bool:
    cached = session.info.get("accounts_exist")
    if cached is None:
        cached = session.scalar(select(Account.id).limit(1)) is not None
        session.info["accounts_exist"] = cached
    return bool(cached)


def acting_role(session: Session, actor: Any) -> str | None:
    """The actor's role, read from the database (not from what a client claims); None when
    the database is single-user or the name is no active account."""
    if not accounts_exist(session):
        return None
    name = actor_name(actor)
    cache: dict[str, str | None] = session.info.setdefault("account_roles", {})
    key = user_key(name)
    if key not in cache:
        account = session.scalar(select(Account).where(Account.name_key == key))
        active = account is not None and not account.disabled and account.locked_at is None
        cache[key] = account.role if active and account is not None else None
    return cache[key]


def allowed(session: Session, actor: Any, permission: str) -> bool:
    if not accounts_exist(session):
        return True
    return permission_table().allows(acting_role(session, actor), permission)


def require(session: Session, actor: Any, permission: str) -> None:
    """Raise PermissionDeniedError unless the actor may do `permission`."""
    if allowed(session, actor, permission):
        return
    name = actor_name(actor)
    role = acting_role(session, actor)
    table = permission_table()
    entry = table.permissions.get(permission)
    what = entry.label if entry is not None else permission
    if role is None:
        raise PermissionDeniedError(
            f"'{name}' is not an active user of this database, so cannot {what}."
        )
    roles = ", ".join(sorted(entry.roles)) if entry is not None else "nobody"
    raise PermissionDeniedError(f"{name} ({role}) may not {what}; that needs: {roles}.")
