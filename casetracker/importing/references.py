"""Checking, after a bulk load, that every row the import wrote refers to rows that exist.

SQLite checks foreign keys row by row inside each insert, which cost a fifth of a
100,000-row import; a bulk load turns that off (Database.unit_of_work(bulk_load=True)) and
checks here instead, one statement per reference. A reference into ids this import itself
allocated and wrote is checked by range; only the others (people already on file) are looked
up one by one. Any miss raises, so the caller's transaction rolls back with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, exists, func, select, text

from casetracker.domain.errors import StorageError


def foreign_keys_enforced(connection: Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return True
    return bool(connection.execute(text("PRAGMA foreign_keys")).scalar())


def check_new_references(
    connection: Connection, written: Mapping[Table, tuple[Sequence[int], Mapping[str, Any]]]
) -> None:
    """`written`: each table the import wrote, with the ids it gave (one running range) and
    the columns written with one value on all its rows (the batch, no court list), which are
    each checked once instead of row by row."""
    constants = {t: same for t, (_ids, same) in written.items()}
    spans = {t: (ids[0], ids[-1]) for t, (ids, _same) in written.items() if len(ids)}
    for parent, (first, last) in spans.items():
        stored = connection.execute(
            select(func.count()).select_from(parent).where(parent.c.id.between(first, last))
        ).scalar_one()
        if stored != last - first + 1:
            raise _broken(f"{parent.name} holds {stored} of the {last - first + 1} new rows")
    for child, (first, last) in spans.items():
        for key in sorted(child.foreign_keys, key=lambda k: k.parent.name):
            column, target = key.parent, key.column
            if column.name in constants.get(child, {}):
                value = constants[child][column.name]
                if (
                    value is not None
                    and not connection.execute(select(exists().where(target == value))).scalar()
                ):
                    raise _broken(
                        f"{child.name} rows refer to {target.table.name} {value}, "
                        "which does not exist"
                    )
                continue
            conditions: list[ColumnElement[bool]] = [
                child.c.id.between(first, last),
                column.is_not(None),
            ]
            if target.table in spans and target.name == "id":
                low, high = spans[target.table]
                conditions.append(~column.between(low, high))
            conditions.append(~exists().where(target == column))
            missing = connection.execute(
                select(child.c.id, column).where(*conditions).limit(1)
            ).first()
            if missing is not None:
                raise _broken(
                    f"{child.name} {missing[0]} refers to {target.table.name} {missing[1]}, "
                    "which does not exist"
                )


def _broken(detail: str) -> StorageError:
    return StorageError(
        f"The import was stopped and nothing was saved: {detail}. "
        "This is a fault in the program; please report it."
    )
