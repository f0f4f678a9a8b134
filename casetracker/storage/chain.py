"""The tamper-evident chain over the motion history and the audit log.

Each link (`audit_chain`) is an HMAC-SHA256, keyed with the secret of storage.chain_key, over
the link's position, the rows it covers and the link before it. A link covers a block of up
to 5,000 rows of one table, in the order they were written: it lists each row's id with a
keyed digest of the row's every column (`digests`), and its HMAC covers that list. So the
chain costs one link per block (an import of 100,000 rows adds 20 links), while every row is
still verified on its own. Links made before blocks (one row each, `row_id` only) verify as
they always did.

Triggers queue each new row (`audit_chain_pending`); the unit of work that wrote it adds the
links just before it commits (Database.unit_of_work calls `extend_chain`), so a row is never
committed unchained by the app. Rows written outside a unit of work are chained by the next
one.

`verify_chain` recomputes every link and every row's digest and names the first row that was
changed, removed, or inserted out of order (back-dated, or never chained). What it cannot
show: rows removed from the end together with their links; the weekly report prints the
chain's head, so a printed copy anchors it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    cast,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.column_types import UTCDateTime
from casetracker.domain.models import AuditChainLink, AuditChainPending, Base, Setting
from casetracker.storage import chain_key

log = logging.getLogger(__name__)

KEY_SETTING = "audit_chain_key"
HISTORY = "history"
AUDIT = "audit"
SOURCE_TABLES = {HISTORY: "motion_event", AUDIT: "audit_entry"}
# A row chained this long after its own time was inserted behind the app's back (the app
# chains a row in the unit of work that wrote it; a long import takes minutes, not hours).
BACKDATED = timedelta(hours=1)
_BATCH = 5000
# Rows per link: a block's digests are about 40 bytes a row (200 KB a link).
BLOCK = 5000
# What a block link's HMAC covers after the usual fields, ahead of the digests. A one-row
# link covers the row's canonical text, which starts with "id\x1d": the two never meet.
_BLOCK_TAG = "block\x1e"
# pg_advisory_xact_lock key: one chain extension at a time across the office.
_PG_LOCK = 0x6374_6368
# The queue with untyped columns: read as the driver gives it, tens of thousands of rows.
_PENDING = sa_table(
    "audit_chain_pending", *(sa_column(name) for name in ("id", "source", "row_id", "backfill"))
)
# The driver's own parameter markers: sqlite3 takes ?, psycopg %s.
_INSERT_LINKS = {
    True: "INSERT INTO audit_chain "
    "(seq, source, row_id, chained_at, backfill, mac, last_row_id, digests) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    False: "INSERT INTO audit_chain "
    "(seq, source, row_id, chained_at, backfill, mac, last_row_id, digests) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
}
# UTCDateTime reads a stored time the same way on either database; it ignores the dialect.
_ANY_DIALECT: Any = None


class ChainKeyMissing(Exception):
    """This computer has no key, or another key than the one the database's chain uses."""


def _table(source: str) -> Table:
    return Base.metadata.tables[SOURCE_TABLES[source]]


def _text(value: Any) -> str:
    """A value as the chain writes it. Times in UTC, so a connection reporting in another
    time zone reads the same text; JSON (PostgreSQL hands it over parsed) in one order."""
    kind = type(value)
    if kind is str:
        return str(value)
    if kind is int or kind is float or kind is bool:
        return repr(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def canonical(names: Sequence[str], values: Sequence[Any]) -> str:
    """A row as the chain sees it: every column with a value, by name, as the driver reads
    it (no conversion through the app's types: cheap, and unchanged if those change).
    Columns a later release adds are empty on old rows, so old links still verify."""
    # Text and numbers (nearly every value) written directly: this runs once per row.
    return "\x1e".join(
        [
            name + "\x1d" + (value if value.__class__ is str else _text(value))
            for name, value in zip(names, values, strict=True)
            if value is not None
        ]
    )


def row_digest(key: bytes, content: str) -> str:
    """A row's digest in a block link: keyed BLAKE2b, so it cannot be made anew for a changed
    row without the office's key."""
    return hashlib.blake2b(content.encode("utf-8"), key=key, digest_size=16).hexdigest()


class _Row:
    """A history or audit row, raw, with what a message names it by."""

    __slots__ = ("_content", "names", "values")

    def __init__(
        self, names: tuple[str, ...], values: tuple[Any, ...], content: str | None = None
    ) -> None:
        self.names = names
        self.values = values
        self._content = content

    @property
    def content(self) -> str:
        if self._content is not None:
            return self._content
        return canonical(self.names, self.values)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self.values[self.names.index(name)]
        except ValueError:
            raise AttributeError(name) from None
        if name == "at" and value is not None:
            return UTCDateTime().process_result_value(value, _ANY_DIALECT)
        return value


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> Any:
    """The HMAC state after the key, copied for each link instead of keyed again."""
    return hmac.new(key, digestmod=hashlib.sha256)


def link_mac(
    key: bytes,
    seq: int,
    source: str,
    row_id: int,
    chained_at: datetime | str,
    backfill: bool,
    previous: str,
    content: str,
) -> str:
    when = chained_at if isinstance(chained_at, str) else chained_at.isoformat()
    flag = "1" if backfill else "0"
    message = f"{seq}\x1f{source}\x1f{row_id}\x1f{when}\x1f{flag}\x1f{previous}\x1f{content}"
    mac = _keyed(key).copy()
    mac.update(message.encode("utf-8"))
    return str(mac.hexdigest())


def office_key(session: Session, *, create: bool) -> bytes:
    """The key this database's chain uses, read from this computer. Raises ChainKeyMissing."""
    stored = session.get(Setting, KEY_SETTING)
    key = chain_key.read_key()
    if stored is None:
        if not create:
            raise ChainKeyMissing("the audit chain has not started yet")
        if key is None:
            key = chain_key.create_key()
        session.add(
            Setting(
                key=KEY_SETTING,
                value={"value": chain_key.fingerprint(key)},
                updated_by="casetracker",
            )
        )
        session.flush()
        return key
    if key is None or chain_key.fingerprint(key) != stored.value.get("value"):
        raise ChainKeyMissing(
            f"this computer lacks the office's audit key ({chain_key.key_path()}); copy the "
            "key file from the computer that started the chain (see README, Audit)"
        )
    return key


def _raw_table(source: str) -> Any:
    """The source table with untyped columns: rows come back as the driver reads them."""
    table = _table(source)
    return sa_table(table.name, *(sa_column(c.name) for c in table.columns))


def _rows(
    session: Session, source: str, ids: Sequence[int], *, content_only: bool = False
) -> dict[int, _Row]:
    """The rows with these ids. On SQLite each row's canonical text is made by SQLite (see
    _sqlite_canonical); content_only: the id and that text alone, where that saves reading."""
    raw = _raw_table(source)
    names = tuple(c.name for c in raw.columns)
    sqlite = session.get_bind().dialect.name == "sqlite"
    columns: list[Any] = list(raw.columns)
    if sqlite:
        if content_only:
            names, columns = ("id",), [raw.c.id]
        columns.append(_sqlite_canonical(raw))
    at = names.index("id")
    found: dict[int, _Row] = {}
    for row in _wanted(session, raw, columns, at, ids):
        if sqlite:
            found[row[at]] = _Row(names, row[:-1], row[-1])
        else:
            found[row[at]] = _Row(names, row)
    return found


def _contents(session: Session, source: str, ids: Sequence[int]) -> list[tuple[int, str]]:
    """(id, canonical text) of the rows with these ids that exist: what their digests are
    made of, without an object per row (an import chains 100,000 rows)."""
    if not ids:
        return []
    raw = _raw_table(source)
    if session.get_bind().dialect.name == "sqlite":
        return _wanted(session, raw, [raw.c.id, _sqlite_canonical(raw)], 0, ids)
    names = tuple(c.name for c in raw.columns)
    at = names.index("id")
    return [
        (row[at], canonical(names, row))
        for row in _wanted(session, raw, list(raw.columns), at, ids)
    ]


def _wanted(
    session: Session, raw: Any, columns: list[Any], at: int, ids: Sequence[int]
) -> list[tuple[Any, ...]]:
    """The rows with these ids (the id at column `at`), as the driver's tuples."""
    wanted = set(ids)
    if not wanted:
        return []
    low, high = min(wanted), max(wanted)
    if high - low < 2 * len(wanted) + _BATCH:
        # The usual case (the rows one unit of work wrote): one range, read in order.
        queries = [select(*columns).where(raw.c.id.between(low, high))]
    else:
        ordered = sorted(wanted)
        queries = [
            select(*columns).where(raw.c.id.in_(ordered[i : i + _BATCH]))
            for i in range(0, len(ordered), _BATCH)
        ]
    found: list[tuple[Any, ...]] = []
    for query in queries:
        rows = _fetch(session, query)
        if len(rows) == len(wanted) == high - low + 1:
            found.extend(rows)  # every id of the range wanted, as an import's are
        else:
            found.extend(row for row in rows if row[at] in wanted)
    return found


def row_digests(key: bytes, contents: Iterable[tuple[int, str]]) -> dict[int, str]:
    """row_digest of each (id, canonical text), by id; the keyed state copied, not keyed
    again for every row (half the time)."""
    keyed = hashlib.blake2b(key=key, digest_size=16)
    digests: dict[int, str] = {}
    for row_id, content in contents:
        digest = keyed.copy()
        digest.update(content.encode("utf-8"))
        digests[row_id] = digest.hexdigest()
    return digests


def _sqlite_canonical(raw: Any) -> Any:
    """canonical() of a row, made by SQLite: the same text, as every column of the two
    tables holds text or integers there (JSON and times are stored as text), without a
    Python step per value (a second for an import's 100,000 rows)."""
    parts = [
        func.coalesce(literal("\x1e" + c.name + "\x1d") + cast(c, String), "") for c in raw.columns
    ]
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined + part
    # The id is never empty: the text starts with its separator, which is dropped.
    return func.substr(joined, 2)


def _fetch(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as the driver's own tuples: the chain reads every row an import wrote,
    and has no use for SQLAlchemy's rows (untyped columns convert nothing anyway)."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    if compiled.positional:
        bound: Any = tuple(params[name] for name in compiled.positiontup)
    else:
        bound = params
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, bound)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def extend_chain(session: Session) -> int:
    """Chain every queued row, in the caller's transaction; the number chained. Without the
    office's key on this computer nothing is chained (and `audit verify` says so)."""
    if session.scalar(select(AuditChainPending.id).limit(1)) is None:
        return 0
    digests: dict[str, dict[int, str]] = {}
    if session.get_bind().dialect.name == "postgresql":
        # The links are made one transaction at a time, and the lock is held to the commit.
        # The rows' digests are what takes the time (an import's 100,000 rows: tens of
        # seconds on a busy machine, past the statement limit of anyone else saving), and
        # they depend on the rows alone: worked out before the lock.
        digests = _digests_ahead(session)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    queue = _PENDING
    pending = _fetch(
        session,
        select(queue.c.id, queue.c.source, queue.c.row_id, queue.c.backfill).order_by(queue.c.id),
    )
    if not pending:
        return 0
    try:
        key = office_key(session, create=True)
    except ChainKeyMissing as error:
        if not session.info.get("chain_warned"):
            log.warning("history not chained: %s", error)
            session.info["chain_warned"] = True
        return 0
    head = session.execute(
        select(AuditChainLink.seq, AuditChainLink.mac).order_by(AuditChainLink.seq.desc()).limit(1)
    ).first()
    chain_empty = head is None
    seq, previous = (0, "") if head is None else (head.seq, head.mac)
    now = utcnow()
    stamp = now.isoformat()
    sqlite = session.get_bind().dialect.name == "sqlite"
    # Stored as the column type would store it, without converting each row.
    stored: Any = now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    queued_by_source = _queued(pending, chain_empty)
    seen = _already_chained(session, queued_by_source)
    links: list[tuple[Any, ...]] = []
    chained = 0
    for source, queued in queued_by_source.items():
        # Each row once, in the order written; a block never mixes back-filled rows in.
        ids = [row_id for row_id in queued if row_id not in seen[source]]
        if not ids:
            continue
        known = digests.setdefault(source, {})
        missing = [row_id for row_id in ids if row_id not in known]
        if missing:
            known.update(row_digests(key, _contents(session, source, missing)))
        written = [row_id for row_id in ids if row_id in known]
        for block in _blocks(written, queued):
            listed = " ".join([f"{row_id}:{known[row_id]}" for row_id in block])
            backfill = queued[block[0]]
            seq += 1
            previous = link_mac(
                key, seq, source, block[0], stamp, backfill, previous, _BLOCK_TAG + listed
            )
            links.append((seq, source, block[0], stored, backfill, previous, block[-1], listed))
            chained += len(block)
    # Straight to the driver, as plain tuples.
    if links:
        session.connection().exec_driver_sql(_INSERT_LINKS[sqlite], links)
    done = sorted(item[0] for item in pending)
    # Core statements: the session holds no queue rows to keep in step.
    connection = session.connection()
    if sqlite and done[-1] - done[0] + 1 == len(done):
        # One writer at a time on SQLite: the range holds exactly the rows just read.
        connection.execute(delete(queue).where(queue.c.id.between(done[0], done[-1])))
    elif not sqlite:
        # One statement with one array. As 20 statements of 5,000-id IN lists, psycopg
        # prepared the statement after the fifth and PostgreSQL then chose a generic plan
        # that scans the whole queue once per id list: 22 s of an import's 100,000 rows,
        # all of it holding the office's chain lock (every save waited behind it).
        connection.execute(
            delete(queue).where(queue.c.id == any_(bindparam("done", type_=ARRAY(Integer)))),
            {"done": done},
        )
    else:
        for start in range(0, len(done), _BATCH):
            chunk = done[start : start + _BATCH]
            connection.execute(delete(queue).where(queue.c.id.in_(chunk)))
    return chained


def _queued(pending: Sequence[Any], chain_empty: bool) -> dict[str, dict[int, bool]]:
    """The queued rows of each source, each once in the order queued, with whether it is
    back-filled (honoured only while the chain is empty). Anything else in the queue is no
    row of ours."""
    queued_by_source: dict[str, dict[int, bool]] = {source: {} for source in SOURCE_TABLES}
    for _, source, row_id, backfill in pending:
        queued = queued_by_source.get(source)
        if queued is not None and row_id not in queued:
            queued[row_id] = bool(backfill) and chain_empty
    return queued_by_source


def _digests_ahead(session: Session) -> dict[str, dict[int, str]]:
    """The digest of every row queued now, by source and row id, read before the chain's lock
    (rows are append-only: a digest made now holds at the lock). Empty before the chain has
    started: its first extension does everything under the lock."""
    try:
        key = office_key(session, create=False)
    except ChainKeyMissing:
        return {}
    queued: dict[str, list[int]] = {}
    for source, row_id in _fetch(session, select(_PENDING.c.source, _PENDING.c.row_id)):
        if source in SOURCE_TABLES:
            queued.setdefault(source, []).append(row_id)
    return {
        source: row_digests(key, _contents(session, source, ids)) for source, ids in queued.items()
    }


def _blocks(ids: Sequence[int], backfill: dict[int, bool]) -> Iterator[Sequence[int]]:
    """The rows in blocks of at most BLOCK, a new block where the backfill flag changes."""
    if not any(backfill.values()):  # the usual case: no row back-filled
        for start in range(0, len(ids), BLOCK):
            yield ids[start : start + BLOCK]
        return
    start = 0
    for end in range(1, len(ids) + 1):
        if end == len(ids) or end - start == BLOCK or backfill[ids[end]] != backfill[ids[start]]:
            yield ids[start:end]
            start = end


def mark_backfill(session: Session) -> None:
    """The rows queued so far were dated in the past on purpose (demo data, the history an
    upgrade found). Honoured only while the chain is empty, so it cannot bless a row someone
    back-dated into a running office's history."""
    session.execute(update(AuditChainPending).values(backfill=True))


def _already_chained(
    session: Session, queued_by_source: dict[str, dict[int, bool]]
) -> dict[str, set[int]]:
    """Queued rows that already have a link, by source: none in normal work, but a row
    queued twice (a restored backup, a hand-made queue entry) must not be chained again. Only
    the links that reach the lowest row queued are looked at: in normal work, none."""
    found: dict[str, set[int]] = {source: set() for source in SOURCE_TABLES}
    for source, queued in queued_by_source.items():
        if not queued:
            continue
        last = func.coalesce(AuditChainLink.last_row_id, AuditChainLink.row_id)
        links = session.execute(
            select(AuditChainLink.row_id, AuditChainLink.digests).where(
                AuditChainLink.source == source,
                last >= min(queued),
                AuditChainLink.row_id <= max(queued),
            )
        ).all()
        for link in links:
            covered = [link.row_id] if link.digests is None else _block_ids(link.digests)
            found[source].update(row_id for row_id in covered if row_id in queued)
    return found


def _block_entries(digests: str) -> list[tuple[int, str]]:
    entries = []
    for entry in digests.split(" "):
        row_id, _, digest = entry.partition(":")
        entries.append((int(row_id), digest))
    return entries


def _block_ids(digests: str) -> list[int]:
    return [row_id for row_id, _ in _block_entries(digests)]


def chain_head(session: Session) -> str | None:
    """The newest link, as printed on the weekly report: position and the MAC's first 16
    hex digits. None before the chain starts."""
    head = session.execute(
        select(AuditChainLink.seq, AuditChainLink.mac).order_by(AuditChainLink.seq.desc()).limit(1)
    ).first()
    return None if head is None else f"#{head.seq} {head.mac[:16]}"


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    problem: str | None = None
    pending: int = 0

    @property
    def message(self) -> str:
        if self.problem is not None:
            return self.problem
        waiting = f"; {self.pending:,} rows wait to be chained" if self.pending else ""
        return f"Audit chain intact: {self.checked:,} rows verified{waiting}."


def _describe(source: str, row: Any, row_id: int) -> str:
    if row is None:
        return f"{source.capitalize()} row {row_id}"
    when = row.at.strftime("%Y-%m-%d %H:%M") if getattr(row, "at", None) else "?"
    if source == HISTORY:
        return f"History row {row_id} (motion {row.motion_id}, {row.action}, {when} UTC)"
    return f"Audit row {row_id} ({row.action} by {row.user}, {when} UTC)"


def _links(session: Session) -> Iterator[list[Any]]:
    last = 0
    while True:
        batch = (
            session.execute(
                select(AuditChainLink)
                .where(AuditChainLink.seq > last)
                .order_by(AuditChainLink.seq)
                .limit(_BATCH)
            )
            .scalars()
            .all()
        )
        if not batch:
            return
        yield list(batch)
        last = batch[-1].seq


class _Walk:
    """Verifying, link by link: the rows seen so far, and the first problem."""

    def __init__(self, session: Session, key: bytes) -> None:
        self.session = session
        self.key = key
        self.previous = ""
        self.expected_seq = 1
        self.checked = 0
        self.covered: dict[str, set[int]] = {source: set() for source in SOURCE_TABLES}

    def link(self, link: Any, single: dict[str, dict[int, Any]]) -> str | None:
        """The problem with this link or its rows, if any."""
        if link.digests is None:
            row = single.get(link.source, {}).get(link.row_id)
            problem = self._sequence(link, row) or self._single(link, row)
        else:
            entries = _block_entries(link.digests)
            rows = _rows(self.session, link.source, [row_id for row_id, _ in entries])
            problem = self._sequence(link, rows.get(link.row_id)) or self._block(
                link, entries, rows
            )
        if problem is None:
            self.previous, self.expected_seq = link.mac, self.expected_seq + 1
        return problem

    def _sequence(self, link: Any, row: Any) -> str | None:
        if link.seq == self.expected_seq:
            return None
        return (
            f"Link {self.expected_seq} of the audit chain "
            f"was removed (just before {_describe(link.source, row, link.row_id)})."
        )

    def _single(self, link: Any, row: Any) -> str | None:
        if row is None:
            return (
                f"{_describe(link.source, None, link.row_id)} was removed (chain link {link.seq})."
            )
        if not self._mac_matches(link, row.content):
            return (
                f"{_describe(link.source, row, link.row_id)} "
                f"was changed after it was written (chain link {link.seq})."
            )
        return self._row_done(link, row, link.row_id)

    def _block(self, link: Any, entries: list[tuple[int, str]], rows: dict[int, Any]) -> str | None:
        if not self._mac_matches(link, _BLOCK_TAG + link.digests) or (
            entries and entries[-1][0] != link.last_row_id
        ):
            first, last = entries[0][0] if entries else link.row_id, link.last_row_id
            return (
                f"Link {link.seq} of the audit chain (which covers {link.source} rows "
                f"{first} to {last}) was changed after it was written."
            )
        for row_id, digest in entries:
            row = rows.get(row_id)
            if row is None:
                return (
                    f"{_describe(link.source, None, row_id)} was removed (chain link {link.seq})."
                )
            if not hmac.compare_digest(row_digest(self.key, row.content), digest):
                return (
                    f"{_describe(link.source, row, row_id)} "
                    f"was changed after it was written (chain link {link.seq})."
                )
            problem = self._row_done(link, row, row_id)
            if problem is not None:
                return problem
        return None

    def _mac_matches(self, link: Any, content: str) -> bool:
        expected = link_mac(
            self.key,
            link.seq,
            link.source,
            link.row_id,
            link.chained_at,
            link.backfill,
            self.previous,
            content,
        )
        return hmac.compare_digest(expected, link.mac)

    def _row_done(self, link: Any, row: Any, row_id: int) -> str | None:
        at = getattr(row, "at", None)
        if not link.backfill and at is not None and at < link.chained_at - BACKDATED:
            return (
                f"{_describe(link.source, row, row_id)} "
                f"was inserted out of order: it is dated {at:%Y-%m-%d %H:%M} "
                f"but was chained {link.chained_at:%Y-%m-%d %H:%M} UTC."
            )
        self.covered[link.source].add(row_id)
        self.checked += 1
        return None


def verify_chain(session: Session) -> Verification:
    """Walk the chain from its start; stop at the first problem and name its row."""
    if session.get(Setting, KEY_SETTING) is None:
        unchained = sum(
            session.scalar(select(func.count()).select_from(_table(s))) or 0 for s in SOURCE_TABLES
        )
        if unchained:
            return Verification(
                False,
                0,
                f"The audit chain is missing: {unchained:,} rows "
                "exist but the chain was never started or was removed.",
            )
        return Verification(True, 0)
    try:
        key = office_key(session, create=False)
    except ChainKeyMissing as error:
        return Verification(False, 0, f"Cannot verify: {error}.")
    walk = _Walk(session, key)
    for batch in _links(session):
        # One-row links (made before blocks): their rows read together.
        single: dict[str, dict[int, Any]] = {}
        for source in SOURCE_TABLES:
            ids = [k.row_id for k in batch if k.source == source and k.digests is None]
            single[source] = _rows(session, source, ids) if ids else {}
        for link in batch:
            problem = walk.link(link, single)
            if problem is not None:
                return Verification(False, walk.checked, problem)
    return _unchained(session, walk)


def _unchained(session: Session, walk: _Walk) -> Verification:
    """A row neither in the chain nor waiting for it was inserted behind the app's back."""
    pending = session.scalar(select(func.count(AuditChainPending.id))) or 0
    for source in SOURCE_TABLES:
        table = _table(source)
        queued = set(
            session.scalars(
                select(AuditChainPending.row_id).where(AuditChainPending.source == source)
            )
        )
        covered = walk.covered[source]
        stray_id = next(
            (
                row_id
                for row_id in session.scalars(select(table.c.id).order_by(table.c.id))
                if row_id not in covered and row_id not in queued
            ),
            None,
        )
        if stray_id is not None:
            stray = session.execute(select(table).where(table.c.id == stray_id)).first()
            return Verification(
                False,
                walk.checked,
                f"{_describe(source, stray, stray_id)} is not in the "
                "audit chain: it was inserted behind the app's back.",
            )
    return Verification(True, walk.checked, pending=pending)
