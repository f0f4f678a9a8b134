"""Writing an import plan in one transaction with Core executemany, and undoing a batch.

Ids are allocated up front (SQLite: after the highest id, inside the write transaction;
PostgreSQL: from each table's own sequence), so every table is one executemany with no
round trip per row. A crash or kill mid-import rolls the whole transaction back.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
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
    text,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import IntakeChannel, MotionKind, Stage, WarrantStatus
from casetracker.domain.errors import NotFoundError, TransitionError
from casetracker.domain.models import (
    Case,
    Charge,
    ImportBatch,
    Motion,
    MotionEvent,
    Person,
)
from casetracker.domain.workflow import apply_transition, new_group_id
from casetracker.importing.collector import collector_paused
from casetracker.importing.plan import ImportPlan
from casetracker.services.settings import workflow_settings

Progress = Callable[[int, int, str], None]
_BATCH_ROWS = 10_000
# Small enough that the JSON of the next chunk is ready before SQLite has stored this one.
_JSON_ROWS = 5_000


# SQLite's default 2 MB page cache spills dirty index pages to the log again and again in a
# 100,000-row transaction (measured: write phase 3x slower); the import's connection gets more.
_SQLITE_IMPORT_CACHE = "PRAGMA cache_size=-131072"
_SQLITE_DEFAULT_CACHE = "PRAGMA cache_size=-2000"


def lock_for_import(session: Session) -> None:
    """Serialize imports: two at once could both decide a case is new."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    else:
        session.execute(text(_SQLITE_IMPORT_CACHE))


def release_import_cache(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(_SQLITE_DEFAULT_CACHE))


def start_batch(session: Session, file_name: str, sha256: str, user: str) -> ImportBatch:
    """The batch row, written first: on SQLite this takes the write lock before any reading."""
    batch = ImportBatch(
        file_name=file_name[:400],
        content_hash=sha256,
        sheet=None,
        mapping={},
        counts={},
        imported_by=user,
    )
    session.add(batch)
    session.flush()
    return batch


def commit_plan(
    session: Session,
    plan: ImportPlan,
    batch: ImportBatch,
    progress: Progress | None = None,
) -> None:
    batch.sheet = plan.sheet[:200]
    batch.mapping = {
        "header_row": plan.header_row,
        "kind": plan.kind.value,
        "columns": plan.mapping.describe(),
    }
    counts = asdict(plan.counts)
    counts["imported"] = counts.pop("valid")
    batch.counts = counts
    session.flush()
    connection = session.connection()
    with collector_paused():
        _write(connection, plan, batch, progress)


def _write(
    connection: Connection, plan: ImportPlan, batch: ImportBatch, progress: Progress | None
) -> None:
    records = plan.records
    n_charges = sum(len(r.charges) for r in records)
    person_ids = _allocate(connection, _table(Person), len(plan.new_people))
    case_ids = _allocate(connection, _table(Case), len(records))
    charge_ids = _allocate(connection, _table(Charge), n_charges)
    motion_ids = _allocate(connection, _table(Motion), len(records))
    event_ids = _allocate(connection, _table(MotionEvent), len(records))
    writer = _Writer(connection, len(plan.new_people) + len(records) * 3 + n_charges, progress)
    writer.write(_tables(plan, batch, person_ids, case_ids, charge_ids, motion_ids, event_ids))


def _tables(
    plan: ImportPlan,
    batch: ImportBatch,
    person_ids: Sequence[int],
    case_ids: Sequence[int],
    charge_ids: Sequence[int],
    motion_ids: Sequence[int],
    event_ids: Sequence[int],
) -> Iterator[_Rows]:
    """The rows of each table in the order they must be written; plain Python, no database."""
    now = utcnow()
    today = date.today()
    records = plan.records
    yield _Rows(
        _table(Person),
        (
            "id",
            "last_name",
            "first_name",
            "middle_name",
            "name_key",
            "date_of_birth",
            "nysid",
            "nysid_as_typed",
            "address",
            "phone",
        ),
        [
            (
                pid,
                p.last[:100],
                p.first[:100],
                p.middle[:100],
                p.name_key[:200],
                p.date_of_birth,
                p.nysid,
                p.nysid_as_typed,
                p.address,
                p.phone,
            )
            for pid, p in zip(person_ids, plan.new_people, strict=True)
        ],
        {
            "aliases": [],
            "email": None,
            "language": None,
            "consent_to_contact": False,
            "created_at": now,
            "version": 1,
        },
        "Saving people",
    )

    warrant = plan.kind is MotionKind.WARRANT_DISMISSAL
    case_rows: list[tuple[Any, ...]] = []
    charge_rows: list[tuple[Any, ...]] = []
    charge_id = iter(charge_ids)
    for case_id, r in zip(case_ids, records, strict=True):
        ref = r.person_ref
        r.person_ref = person_ids[-1 - ref] if ref < 0 else ref
        case_rows.append(
            (
                case_id,
                r.person_ref,
                r.docket_as_typed[:60] if r.docket_as_typed else None,
                r.docket[:40] if r.docket else None,
                r.summons[:40] if r.summons else None,
                r.county.value if r.county else None,
                r.court_part,
                r.arrest_date,
                r.disposition,
                r.disposition_date,
                r.sentence,
                r.warrant_date,
                r.row,
            )
        )
        for position, c in enumerate(r.charges):
            charge_rows.append(
                (
                    next(charge_id),
                    case_id,
                    position,
                    c.section,
                    c.as_typed,
                    c.charge_class,
                    c.description[:200] if c.description else None,
                )
            )
    yield _Rows(
        _table(Case),
        (
            "id",
            "person_id",
            "docket_as_typed",
            "docket",
            "summons_number",
            "county",
            "court_part",
            "arrest_date",
            "disposition",
            "disposition_date",
            "sentence",
            "warrant_issued_date",
            "import_row",
        ),
        case_rows,
        {
            "warrant_status": WarrantStatus.OPEN if warrant else WarrantStatus.NONE,
            "record_source": f"import: {plan.file_name}"[:200],
            "smoking_while_driving": False,
            "import_batch_id": batch.id,
            "created_at": now,
        },
        "Saving cases",
    )
    del case_rows
    yield _Rows(
        _table(Charge),
        ("id", "case_id", "position", "section", "as_typed", "charge_class", "description"),
        charge_rows,
        {},
        "Saving charges",
    )
    del charge_rows

    yield _Rows(
        _table(Motion),
        ("id", "person_id", "case_id", "import_row"),
        [
            (motion_id, r.person_ref, case_id, r.row)
            for motion_id, case_id, r in zip(motion_ids, case_ids, records, strict=True)
        ],
        {
            **_EMPTY_MOTION,
            "kind": plan.kind,
            "stage": Stage.INTAKE,
            "stage_entered_at": now,
            "intake_date": today,
            "intake_channel": IntakeChannel.IMPORT,
            "import_batch_id": batch.id,
            "created_at": now,
        },
        "Saving motions",
    )
    reason = f"Imported from {plan.file_name}, sheet {plan.sheet} (batch {batch.id}), row "
    yield _Rows(
        _table(MotionEvent),
        ("id", "motion_id", "reason"),
        [
            (event_id, motion_id, f"{reason}{r.row}")
            for event_id, motion_id, r in zip(event_ids, motion_ids, records, strict=True)
        ],
        {
            "at": now,
            "user": batch.imported_by,
            "action": "import",
            "from_stage": None,
            "to_stage": Stage.INTAKE,
            "changes": {},
            "group_id": None,
            "undoes_group": None,
        },
        "Saving history",
    )


@dataclass
class _Rows:
    """One table's share of an import: per-row values, and the values common to all rows."""

    table: Table
    varying: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    constants: dict[str, Any]
    label: str


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


class _Writer:
    """Bulk inserts, with SQL compiled by SQLAlchemy from the table.

    SQLite: each chunk of rows goes in as one JSON array that one INSERT ... SELECT over
    json_each() unpacks. Row-by-row executemany cost ten times as much (measured at 100,000
    motions: 4.7 s against 0.5 s), because every execution of a statement that fires a
    trigger opens its own statement journal, and the driver binds every value one by one.
    The rows and their JSON are made on a second thread while SQLite, which lets go of the
    GIL, stores the chunk before; the database is only ever used from the caller's thread.

    PostgreSQL: executemany straight to the driver. Going through Core's per-row parameter
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
        self.json_rows = self.dialect.name == "sqlite" and _sqlite_has_json(connection)

    def write(self, tables: Iterable[_Rows]) -> None:
        if not self.json_rows:
            for rows in tables:
                _check_columns(rows)
                self._insert_many(rows)
            return
        chunks: Iterator[_Chunk] = (
            chunk for rows in tables for chunk in _json_chunks(rows) if _check_columns(rows)
        )
        with _Ahead(chunks) as ahead:
            for chunk in ahead:
                self.execute(chunk)

    def execute(self, chunk: _Chunk) -> None:
        self.connection.execute(chunk.statement, chunk.params)
        self._advance(chunk.rows, chunk.label)

    def _insert_many(self, rows: _Rows) -> None:
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


def _check_columns(rows: _Rows) -> bool:
    # Every column in every row: one statement shape for all rows, no default left to chance.
    missing = {c.name for c in rows.table.c} - {*rows.varying, *rows.constants}
    if missing:
        raise ValueError(f"{rows.table.name}: no value given for {sorted(missing)}")
    return True


@dataclass
class _Chunk:
    statement: Executable
    params: dict[str, Any]
    rows: int
    label: str


def _json_chunks(rows: _Rows) -> Iterator[_Chunk]:
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
        blob = json.dumps(values, ensure_ascii=False, default=_json_value)
        params = {f"first_{name}": first + start for name, first in sequences.items()}
        yield _Chunk(statement, {"rows": blob, **params}, len(chunk), rows.label)


class _Ahead:
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

    def __enter__(self) -> _Ahead:
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
        try:
            distinct = len(set(column))
        except TypeError:
            distinct = 2
        if distinct == 1:
            same[name] = first
        else:
            keep.append(index)
    return keep, same, sequences


def _json_value(value: object) -> str:
    # Dates as SQLAlchemy stores them in SQLite (ISO text), so queries compare them alike.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__} in an import row")


def _sqlite_has_json(connection: Connection) -> bool:
    # JSON functions are built into SQLite from 3.38; an older library may lack them.
    try:
        connection.execute(select(func.json_valid("[]")))
    except OperationalError:
        return False
    return True


# The motion columns an import leaves at their starting values.
_EMPTY_MOTION: dict[str, Any] = {
    name: None
    for name in [
        "event_id",
        "referral_source",
        "defense_org",
        "defense_attorney",
        "verified_by",
        "verified_at",
        "screening_result",
        "screening_ruleset",
        "screened_by",
        "screened_at",
        "assigned_prosecutor",
        "decision",
        "decision_reason_code",
        "decision_note",
        "decided_by",
        "decided_at",
        "supervisor_signoff_by",
        "supervisor_signoff_at",
        "filed_date",
        "filed_court",
        "filed_part",
        "court_date",
        "court_part",
        "judge",
        "court_list_id",
        "outcome",
        "order_date",
        "outcome_reasons",
        "sealing_deadline",
        "sealing_confirmed_date",
        "notification_method",
        "notification_date",
        "notification_outcome",
        "notifying_org",
        "closed_reason",
    ]
} | {
    "screening_reasons": [],
    "appearance_required": False,
    "proceed_if_expunged": False,
    "version": 1,
}


def _allocate(connection: Connection, table: Table, count: int) -> Sequence[int]:
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        sequence = connection.execute(
            select(func.pg_get_serial_sequence(table.name, "id"))
        ).scalar_one()
        rows = connection.execute(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        )
        return [row[0] for row in rows]
    highest = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
    return range(highest + 1, highest + 1 + count)


def undo_batch(session: Session, batch_id: int, user: str) -> int:
    """Withdraw every motion of a batch, if none has moved on; returns how many.

    History is append-only, so the motions stay, withdrawn, with the undo recorded on each;
    the batch is marked undone, and its cases no longer count as already imported.
    """
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"There is no import batch {batch_id}.")
    if batch.undone_at is not None:
        raise TransitionError(
            f"Import batch {batch_id} was already undone by {batch.undone_by} "
            f"on {batch.undone_at:%Y-%m-%d %H:%M}."
        )
    moved = session.scalars(
        select(Motion.id)
        .where(Motion.import_batch_id == batch_id, Motion.stage != Stage.INTAKE)
        .limit(1)
    ).first()
    touched = session.execute(
        select(MotionEvent.motion_id)
        .join(Motion, Motion.id == MotionEvent.motion_id)
        .where(Motion.import_batch_id == batch_id)
        .group_by(MotionEvent.motion_id)
        .having(func.count() > 1)
        .limit(1)
    ).first()
    if moved is not None or touched is not None:
        which = moved if moved is not None else touched[0]  # type: ignore[index]
        raise TransitionError(
            f"Import batch {batch_id} cannot be undone: motion {which} has been worked on "
            "since the import. Withdraw motions one by one instead."
        )
    reason = f"Import batch {batch_id} undone by {user}"
    settings = workflow_settings(session)
    group = new_group_id()
    at = utcnow()
    motions = session.scalars(
        select(Motion).where(Motion.import_batch_id == batch_id).order_by(Motion.id)
    ).all()
    for motion in motions:
        session.add(
            apply_transition(
                motion,
                Stage.WITHDRAWN,
                reason=reason,
                user=user,
                at=at,
                settings=settings,
                group_id=group,
            )
        )
    batch.undone_by = user
    batch.undone_at = at
    session.flush()
    return len(motions)
