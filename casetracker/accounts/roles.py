"""Roles and what each may do: a table kept as data (resources/permissions.json), so the
office can read it in the window and a reviewer can read it in one file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from casetracker.paths import resource_path

INTAKE = "intake"
PROSECUTOR = "prosecutor"
SUPERVISOR = "supervisor"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
ROLES = (INTAKE, PROSECUTOR, SUPERVISOR, MANAGER, ADMINISTRATOR)

# The permission that lets a role see the names behind sealed records.
SEALED_RECORDS = "sealed.view"


@dataclass(frozen=True)
class Permission:
    key: str
    label: str
    roles: frozenset[str]


@dataclass(frozen=True)
class PermissionTable:
    roles: dict[str, str]  # role -> what it is for
    permissions: dict[str, Permission]

    def allows(self, role: str | None, key: str) -> bool:
        permission = self.permissions.get(key)
        if permission is None:
            # An operation nobody listed is refused, so a new one cannot slip past the table.
            return False
        return role in permission.roles

    def granted(self, role: str) -> list[Permission]:
        return [p for p in self.permissions.values() if role in p.roles]


@lru_cache(maxsize=1)
def permission_table() -> PermissionTable:
    with resource_path("permissions.json").open(encoding="utf-8") as file:
        document: dict[str, Any] = json.load(file)
    roles = {str(k): str(v) for k, v in document["roles"].items()}
    permissions: dict[str, Permission] = {}
    for key, entry in document["permissions"].items():
        unknown = set(entry["roles"]) - set(roles)
        if unknown:
            raise ValueError(f"permissions.json: {key} names unknown roles {sorted(unknown)}")
        permissions[key] = Permission(key, entry["label"], frozenset(entry["roles"]))
    return PermissionTable(roles, permissions)


def parse_role(text: str) -> str:
    from casetracker.domain.errors import InvalidValueError

    role = text.strip().casefold()
    if role not in ROLES:
        raise InvalidValueError(f"'{text}' is not a role; use one of: {', '.join(ROLES)}.")
    return role
