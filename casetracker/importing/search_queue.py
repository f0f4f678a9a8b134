"""Queueing an import's motions for the search index in one statement, not by trigger.

On SQLite the insert triggers that queue each new motion (and look up the motions of each new
charge's case, of which an import's new cases have none yet) cost about a tenth of a bulk
load's database work. Inside the import's transaction they are set aside (with the one that
queues a changed person's motions: an import only changes the people it has just stored, when
a later row gives one a NYSID, and their motions are all new), the new motions are queued in
one INSERT ... SELECT, and the triggers are made again from their own stored definitions:
SQLite's DDL is transactional, so a crash or rollback leaves them as they were, and the write
lock held since BEGIN IMMEDIATE keeps any other writer out meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, bindparam, insert, select, text

from casetracker.domain.models import Motion, SearchDirty
from casetracker.importing.bulk_insert import next_id
from casetracker.importing.rows import table

_DEFINITIONS = text(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
    "('search_motion_insert', 'search_charge_insert', 'search_person_update') ORDER BY name"
)
# DDL takes no parameters: one literal statement per trigger.
_DROP = {
    "search_charge_insert": text("DROP TRIGGER search_charge_insert"),
    "search_motion_insert": text("DROP TRIGGER search_motion_insert"),
    "search_person_update": text("DROP TRIGGER search_person_update"),
}
_QUEUE = insert(SearchDirty).from_select(
    ["motion_id"],
    select(Motion.id).where(Motion.id >= bindparam("first")).order_by(Motion.id),
)


@contextmanager
def queued_in_one_statement(connection: Connection) -> Iterator[None]:
    """Around the bulk insert of motions: every motion with an id above the highest now is
    new (on SQLite ids are given from the highest on, and the write lock keeps anyone else
    from adding).

    An error inside propagates to the unit of work, whose rollback restores the triggers.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    first_motion_id = next_id(connection, table(Motion))
    definitions = [(name, sql) for name, sql in connection.execute(_DEFINITIONS)]
    for name, _sql in definitions:
        connection.execute(_DROP[name])
    yield
    for _name, sql in definitions:
        connection.exec_driver_sql(sql)  # the definition as stored, not SQL made here
    if any(name == "search_motion_insert" for name, _sql in definitions):
        connection.execute(_QUEUE, {"first": first_motion_id})
