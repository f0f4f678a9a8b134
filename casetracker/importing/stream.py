"""Checking a list's rows and storing them at once, a part of the list at a time (SQLite).

When an import is loaded without row-by-row reference checks, the rows are checked, linked
to people and made into table rows on a second thread, a part of the list at a time, while
SQLite, which lets go of the GIL, stores the part before: the checking no longer waits for
the storing or the other way round. Everything a part's rows make goes in with the part: its
cases, then their motions and history (made inside SQLite from the cases just stored), the
people first met in it, the charges. A later row may still give a stored case another charge,
or a stored new person a NYSID: those go in at the end. People already on file are looked up
on a second, read-only connection, which sees what the import's own transaction saw when it
began (the write lock it holds keeps anyone else from adding to it meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, bindparam, update
from sqlalchemy.orm import Session

from casetracker.domain.models import Case, Charge, ImportBatch, Motion, MotionEvent, Person
from casetracker.importing.bulk_insert import (
    Beside,
    BulkWriter,
    Copied,
    Progress,
    TableRows,
    next_id,
    sqlite_has_json,
)
from casetracker.importing.commit import describe_batch, record_counts
from casetracker.importing.people import PeopleLinker
from casetracker.importing.plan import ImportPlan, RowChecker
from casetracker.importing.references import check_new_references, foreign_keys_enforced
from casetracker.importing.rows import ImportRows, table
from casetracker.importing.search_queue import queued_in_one_statement
from casetracker.importing.validate import ImportRecord

Rows = TypeVar("Rows", TableRows, Copied)

_GIVE_NYSID = (
    update(table(Person))
    .where(table(Person).c.id == bindparam("person"))
    .values(nysid=bindparam("given_nysid"))
)

# Rows checked before their part is handed to SQLite, one JSON chunk per table. Larger parts
# mean fewer hand-overs of the GIL between the two threads (5,000: 0.4 s more at 100,000);
# the first is small, so that SQLite starts soon.
_FIRST_PART = 5_000
_PART = 20_000
# The last part is stored after all checking is done, with nothing left to do meanwhile:
# kept small.
_LAST_PART = 4_000


def _part_after(left: int) -> int:
    """The next part's size, with left rows of the list still to check (each makes a record
    at most)."""
    if left <= _PART + _LAST_PART:
        return max(left - _LAST_PART, _LAST_PART)
    return _PART


def can_stream(session: Session) -> bool:
    connection = session.connection()
    database = connection.engine.url.database
    return (
        connection.dialect.name == "sqlite"
        and database not in (None, "", ":memory:")  # a second connection must see the file
        and sqlite_has_json(connection)
        and not foreign_keys_enforced(connection)
    )


def check_and_store(
    session: Session, checker: RowChecker, batch: ImportBatch, progress: Progress | None
) -> ImportPlan:
    """Runs the checker's pass over the rows and stores every new record, in the caller's
    transaction; returns the finished plan (possible matches included)."""
    plan = checker.plan
    describe_batch(session, plan, batch)
    connection = session.connection()
    linker = PeopleLinker(session, plan)
    plan.people = linker
    # The rows' own progress would interleave with the storing's: the storing reports both.
    checker.progress = None
    entries = len(checker.entries)
    writer = BulkWriter(connection, entries * 5, progress)
    first_person = next_id(connection, table(Person))
    first_case = next_id(connection, table(Case))
    first_charge = next_id(connection, table(Charge))
    first_motion = next_id(connection, table(Motion))
    first_event = next_id(connection, table(MotionEvent))
    rows = ImportRows(plan, batch)
    constants: dict[Table, dict[str, Any]] = {}
    made = 0

    def noted(rows_of: Rows) -> Rows:
        nonlocal made
        constants.setdefault(rows_of.table, rows_of.constants)
        made += len(rows_of)
        return rows_of

    # New people get ids in the order they are first met; there are never more than rows.
    person_ids = range(first_person, first_person + entries)
    charges = 0  # given ids so far
    given: list[tuple[int, str]] = []  # NYSIDs of people already stored, from later rows
    stored_charges: list[int] = []  # of each record, as its part was stored

    def part_rows(part: Sequence[ImportRecord], done: int, reader: Connection | None) -> Any:
        nonlocal charges
        linker.look_up(part, reader)
        people_before = len(plan.new_people)
        linker.link_records(part)
        case_ids = range(first_case + done, first_case + done + len(part))
        motion_ids = range(first_motion + done, first_motion + done + len(part))
        event_ids = range(first_event + done, first_event + done + len(part))
        yield noted(rows.cases(case_ids, part, person_ids))
        yield noted(rows.motions_of_cases(motion_ids, case_ids))
        yield noted(rows.events_of_motions(event_ids, motion_ids))
        met = plan.new_people[people_before:]
        yield noted(rows.people(person_ids[people_before : people_before + len(met)], met))
        counts = [len(r.charges) for r in part]
        stored_charges.extend(counts)
        charge_ids = range(first_charge + charges, first_charge + charges + sum(counts))
        charges += len(charge_ids)
        yield noted(rows.charges(charge_ids, part, case_ids))

    def tables(matches: Beside, reader: Connection | None) -> Iterator[TableRows | Copied]:
        # On the writer's second thread: plain Python, and the read-only connection.
        nonlocal charges
        part: list[ImportRecord] = []
        done = 0
        size = _FIRST_PART
        for record in checker.records():
            part.append(record)
            if len(part) == size:
                yield from part_rows(part, done, reader)
                done += len(part)
                part = []
                size = _part_after(len(checker.entries) - checker.checked)
        if part:
            yield from part_rows(part, done, reader)
        given.extend(linker.nysids_given_later())
        linker.finish()
        linker.look_up_births(reader)
        # A later repeat of a case already stored added charges to it: those go in now.
        records = plan.records
        grown = [
            (first_case + i, record, stored)
            for i, (record, stored) in enumerate(zip(records, stored_charges, strict=True))
            if len(record.charges) > stored
        ]
        if grown:
            case_ids, grown_records, stored = zip(*grown, strict=True)
            more = sum(len(r.charges) for r in grown_records) - sum(stored)
            charge_ids = range(first_charge + charges, first_charge + charges + more)
            charges += more
            yield noted(rows.charges(charge_ids, grown_records, case_ids, stored))
        writer.total = made
        # With every row made, while SQLite stores the last of them.
        matches.start()

    with ExitStack() as stack:
        reader = None
        if linker.known_up_to:
            reader = stack.enter_context(
                connection.engine.connect().execution_options(sqlite_bulk_load=False)
            )
        stack.enter_context(queued_in_one_statement(connection))
        matches = stack.enter_context(Beside(plan.find_possible_matches))
        writer.write(tables(matches, reader))
        # People stored before a later row of theirs gave them a NYSID. With the search
        # index's triggers set aside: their motions are all new, and all queued anyway.
        if given:
            connection.execute(
                _GIVE_NYSID,
                [{"person": person_ids[index], "given_nysid": nysid} for index, nysid in given],
            )
    records = len(plan.records)
    written: dict[Table, tuple[Sequence[int], dict[str, Any]]] = {
        model_table: (range(first, first + count), constants.get(model_table, {}))
        for model_table, first, count in (
            (table(Person), first_person, len(plan.new_people)),
            (table(Case), first_case, records),
            (table(Charge), first_charge, charges),
            (table(Motion), first_motion, records),
            (table(MotionEvent), first_event, records),
        )
    }
    check_new_references(connection, written)
    record_counts(session, plan, batch)
    return plan
