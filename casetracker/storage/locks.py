"""Locks on a value rather than a row, for check-then-insert: the second of two transactions
that ask whether a NYSID is on file waits until the first has added it (and committed), so
it finds that person instead of adding another."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def lock_value(session: Session, namespace: str, value: str) -> None:
    """Hold a lock on (namespace, value) until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on a 64-bit key made from the value.
    SQLite: nothing to do, as a writing transaction already holds the whole database."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"{namespace}\x00{value}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(key)))
