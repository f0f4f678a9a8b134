"""Storing many rows fast, in the one transaction of the caller.

SQLite: each chunk of rows goes in as one JSON array that one INSERT ... SELECT over
json_each() unpacks. PostgreSQL: COPY, one stream per table.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    Executable,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.exc import OperationalError

Progress = Callable[[int, int, str], None]
_BATCH_ROWS = 10_000
# Few statements: the caller's thread, back from SQLite, waits for the GIL up to the switch
# interval (5 ms) each time while the second thread is busy (at 100,000 rows in chunks of
# 5,000 that added 0.4 s to the storing).
_JSON_ROWS = 20_000
# How far the second thread may run ahead, a few megabytes of JSON a chunk: far enough that
# SQLite never waits while the next table's rows are made.
_CHUNKS_AHEAD = 16


@dataclass
class TableRows:
    """One table's share of an import: per-row values, and the values common to all rows."""

    table: Table
    varying: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    constants: dict[str, Any]
    label: str

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Copied:
    """One table's share made inside the database from rows just stored in another, by one
    INSERT ... SELECT: no Python and no JSON per row (an import's motions from its cases,
    their history from the motions)."""

    table: Table
    ids: range  # one new row per source row, in order
    source: Table
    source_ids: range
    made: dict[str, Any]  # the other columns made per row: expressions over the source row
    constants: dict[str, Any]
    label: str

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def columns(self) -> dict[str, Any]:
        return {"id": self.source.c.id + (self.ids.start - self.source_ids.start), **self.made}


class BulkWriter:
    """Bulk inserts, with SQL compiled by SQLAlchemy from the table.

    SQLite: each chunk of rows goes in as one JSON array that one INSERT ... SELECT over
    json_each() unpacks. Row-by-row executemany cost ten times as much (measured at 100,000
    motions: 4.7 s against 0.5 s), because every execution of a statement that fires a
    trigger opens its own statement journal, and the driver binds every value one by one.
    The rows and their JSON are made on a second thread while SQLite, which lets go of the
    GIL, stores the chunk before; the database is only ever used from the caller's thread.

    PostgreSQL: COPY straight through the driver. Going through Core's per-row parameter
    processing cost more than the whole rest of the import; the values that are the same on
    every row (times, stages, enums, JSON) are converted once by the column's own type, and
    the rest are already plain values.
    """

    def __init__(self, connection: Connection, total: int, progress: Progress | None) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self.total = total
        self.done = 0
        self.progress = progress
        self.json_rows = self.dialect.name == "sqlite" and sqlite_has_json(connection)

    def write(self, tables: Iterable[TableRows | Copied]) -> None:
        if not self.json_rows:
            copy = self.dialect.name == "postgresql"
            for rows in tables:
                _check_columns(rows)
                if isinstance(rows, Copied):
                    self.execute(copied_chunk(rows))
                elif copy:
                    self._copy(rows)
                else:
                    self._insert_many(rows)
            return
        chunks: Iterator[Chunk] = (
            chunk for rows in tables if _check_columns(rows) for chunk in _chunks(rows)
        )
        with Ahead(chunks, depth=_CHUNKS_AHEAD) as ahead:
            for chunk in ahead:
                self.execute(chunk)

    def execute(self, chunk: Chunk) -> None:
        self.connection.execute(chunk.statement, chunk.params)
        self._advance(chunk.rows, chunk.label)

    def _insert_many(self, rows: TableRows) -> None:
        table, varying, constants = rows.table, rows.varying, rows.constants
        columns = (*varying, *constants)
        fixed = tuple(self._bind(table, name, value) for name, value in constants.items())
        compiled = insert(table).compile(dialect=self.dialect, column_keys=list(columns))
        sql = str(compiled)
        order = compiled.positiontup
        position = {name: i for i, name in enumerate(columns)}
        # Driver order for positional placeholders, picked out in C rather than per value.
        pick = itemgetter(*(position[name] for name in order)) if order else None
        for start in range(0, len(rows.rows), _BATCH_ROWS):
            chunk = [row + fixed for row in rows.rows[start : start + _BATCH_ROWS]]
            if pick is None:
                params: list[Any] = [dict(zip(columns, row, strict=True)) for row in chunk]
            else:
                params = list(map(pick, chunk))
            self.connection.exec_driver_sql(sql, params)
            self._advance(len(chunk), rows.label)

    def _copy(self, rows: TableRows) -> None:
        """PostgreSQL's COPY: one stream per table instead of a statement per row (100,000
        motions: 4.6 s with executemany)."""
        if not rows.rows:
            return
        from psycopg import sql as pg_sql  # only PostgreSQL offices need the driver loaded

        table, constants = rows.table, rows.constants
        columns = (*rows.varying, *constants)
        fixed = tuple(self._bind(table, name, value) for name, value in constants.items())
        statement = pg_sql.SQL("COPY {} ({}) FROM STDIN").format(
            pg_sql.Identifier(table.name), pg_sql.SQL(", ").join(map(pg_sql.Identifier, columns))
        )
        cursor = self.connection.connection.cursor()
        try:
            with cursor.copy(statement) as copy:
                for start in range(0, len(rows.rows), _BATCH_ROWS):
                    chunk = rows.rows[start : start + _BATCH_ROWS]
                    for row in chunk:
                        copy.write_row(row + fixed)
                    self._advance(len(chunk), rows.label)
        finally:
            cursor.close()

    def _advance(self, rows: int, label: str) -> None:
        self.done += rows
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def _bind(self, table: Table, name: str, value: Any) -> Any:
        processor = table.c[name].type.bind_processor(self.dialect)
        if processor is not None and value is not None:
            return processor(value)
        if isinstance(value, dict | list):
            # psycopg leaves JSON to an adapter that plain executemany does not use.
            return json.dumps(value)
        return value


def _check_columns(rows: TableRows | Copied) -> bool:
    # Every column in every row: one statement shape for all rows, no default left to chance.
    made = rows.columns if isinstance(rows, Copied) else rows.varying
    missing = {c.name for c in rows.table.c} - {*made, *rows.constants}
    if missing:
        raise ValueError(f"{rows.table.name}: no value given for {sorted(missing)}")
    return True


@dataclass
class Chunk:
    statement: Executable
    params: dict[str, Any]
    rows: int
    label: str


def _chunks(rows: TableRows | Copied) -> Iterator[Chunk]:
    if isinstance(rows, Copied):
        yield copied_chunk(rows)
    else:
        yield from json_chunks(rows)


def copied_chunk(copied: Copied) -> Chunk:
    table, source, columns = copied.table, copied.source, copied.columns
    fixed = [literal(value, type_=table.c[name].type) for name, value in copied.constants.items()]
    statement = insert(table).from_select(
        [*columns, *copied.constants],
        select(*columns.values(), *fixed)
        .where(source.c.id.between(bindparam("first"), bindparam("last")))
        .order_by(source.c.id),
    )
    first = copied.source_ids.start
    params = {"first": first, "last": first + len(copied.source_ids) - 1}
    return Chunk(statement, params, len(copied.ids), copied.label)


def json_chunks(rows: TableRows) -> Iterator[Chunk]:
    table, varying, constants = rows.table, rows.varying, rows.constants
    if not rows.rows:
        return
    keep, same, sequences = _fold_columns(varying, rows.rows)
    each = func.json_each(bindparam("rows", type_=String)).table_valued("key", "value")
    picked = [func.json_extract(each.c.value, f"$[{i}]") for i in range(len(keep))]
    counted: list[Any] = [bindparam(f"first_{name}") + each.c.key for name in sequences]
    fixed = [literal(value, type_=table.c[name].type) for name, value in constants.items()]
    # Already in stored form, as the varying values are: no conversion by column type.
    plain = [literal(_json_value(v) if isinstance(v, date) else v) for v in same.values()]
    statement = insert(table).from_select(
        [*(varying[i] for i in keep), *sequences, *same, *constants],
        select(*picked, *counted, *plain, *fixed).select_from(each),
    )
    shrink = itemgetter(*keep) if len(keep) > 1 else None
    for start in range(0, len(rows.rows), _JSON_ROWS):
        chunk = rows.rows[start : start + _JSON_ROWS]
        if shrink is not None:
            values: list[Any] = list(map(shrink, chunk))
        else:
            values = [[row[keep[0]]] for row in chunk] if keep else [0] * len(chunk)
        # Compact, and no check for containers inside themselves (rows of plain values
        # cannot be): a sixth less time to make, and less text for SQLite to read.
        blob = json.dumps(
            values,
            ensure_ascii=False,
            separators=(",", ":"),
            check_circular=False,
            default=_json_value,
        )
        params = {f"first_{name}": first + start for name, first in sequences.items()}
        yield Chunk(statement, {"rows": blob, **params}, len(chunk), rows.label)


class Ahead:
    """Runs an iterator on a second thread, a few items ahead of the one consuming it.

    An error on either side stops both: the producer's is raised to the consumer, and a
    consumer that leaves early tells the producer to stop.
    """

    _DONE = object()

    def __init__(self, items: Iterator[Any], depth: int = 2) -> None:
        self._items = items
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="import-rows", daemon=True)

    def __enter__(self) -> Ahead:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item

    def _produce(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            self._put(_Failed(error))
            return
        self._put(self._DONE)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


@dataclass
class _Failed:
    error: BaseException


class Beside:
    """Runs a job on a second thread from start() on; leaving waits for it and raises its
    error, if the body raised none of its own."""

    def __init__(self, job: Callable[[], None]) -> None:
        self._job = job
        self._failed: list[BaseException] = []
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Beside:
        return self

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="import-beside", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._job()
        except BaseException as error:  # raised on the caller's thread on leaving
            self._failed.append(error)

    def __exit__(self, kind: object, *exc: object) -> None:
        if self._thread is None:
            if kind is None:
                self._job()  # nothing was stored: no chunk started it
            return
        self._thread.join()
        if kind is None and self._failed:
            raise self._failed[0]


def _fold_columns(
    varying: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> tuple[list[int], dict[str, Any], dict[str, int]]:
    """Which varying columns really vary: (their indexes, the same on all rows, counted).

    A column the file does not have is the same on every row, and ids run up by one from
    the first; neither needs to go through JSON, which is where the time goes.
    """
    keep: list[int] = []
    same: dict[str, Any] = {}
    sequences: dict[str, int] = {}
    for index, name in enumerate(varying):
        column = list(map(itemgetter(index), rows))
        first = column[0]
        if first.__class__ is int and column == list(range(first, first + len(column))):
            sequences[name] = first
            continue
        # All equal to the first (counted in C, no set of them all to hash).
        if column.count(first) == len(column):
            same[name] = first
        else:
            keep.append(index)
    return keep, same, sequences


def _json_value(value: object) -> str:
    # Dates as SQLAlchemy stores them in SQLite (ISO text), so queries compare them alike.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__} in an import row")


def sqlite_has_json(connection: Connection) -> bool:
    # JSON functions are built into SQLite from 3.38; an older library may lack them. Asked
    # once per connection: an import asks at every step.
    known = connection.info.get("sqlite_has_json")
    if known is None:
        try:
            connection.execute(select(func.json_valid("[]")))
            known = True
        except OperationalError:
            known = False
        connection.info["sqlite_has_json"] = known
    return bool(known)


def next_id(connection: Connection, table: Table) -> int:
    """SQLite: the first id of rows added now, inside the write transaction."""
    return int(connection.execute(select(func.max(table.c.id))).scalar_one() or 0) + 1


def allocate(connection: Connection, table: Table, count: int) -> Sequence[int]:
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        sequence = connection.execute(
            select(func.pg_get_serial_sequence(table.name, "id"))
        ).scalar_one()
        # One array, not a row each: fetching 100,000 rows of one id cost 0.4 s a table.
        ids = connection.execute(
            select(func.array_agg(func.nextval(sequence))).select_from(
                func.generate_series(1, count)
            )
        ).scalar_one()
        # Another session's nextval may interleave: the ids are distinct, not contiguous.
        return sorted(ids)
    first = next_id(connection, table)
    return range(first, first + count)
