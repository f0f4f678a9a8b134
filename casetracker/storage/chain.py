"""The tamper-evident chain over the motion history and the audit log.

Each history or audit row gets one link (`audit_chain`): an HMAC-SHA256, keyed with the
secret of storage.chain_key, over the link's position, the row's every column and the link
before it. Triggers queue each new row (`audit_chain_pending`); the unit of work that wrote it
adds its links just before it commits (Database.unit_of_work calls `extend_chain`), so a row is
never committed unchained by the app. Rows written outside a unit of work are chained by the
next one.

`verify_chain` recomputes every link and names the first row that was changed, removed, or
inserted out of order (back-dated, or never chained). What it cannot show: rows removed from
the end together with their links; the weekly report prints the chain's head, so a printed
copy anchors it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, delete, func, select, text, update
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
# pg_advisory_xact_lock key: one chain extension at a time across the office.
_PG_LOCK = 0x6374_6368
# The queue with untyped columns: read as the driver gives it, tens of thousands of rows.
_PENDING = sa_table(
    "audit_chain_pending", *(sa_column(name) for name in ("id", "source", "row_id", "backfill"))
)
# The driver's own parameter markers: sqlite3 takes ?, psycopg %s.
_INSERT_LINKS = {
    True: "INSERT INTO audit_chain (seq, source, row_id, chained_at, backfill, mac) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    False: "INSERT INTO audit_chain (seq, source, row_id, chained_at, backfill, mac) "
    "VALUES (%s, %s, %s, %s, %s, %s)",
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
    return "\x1e".join(
        f"{name}\x1d{_text(value)}"
        for name, value in zip(names, values, strict=True)
        if value is not None
    )


@dataclass(frozen=True)
class _Row:
    """A history or audit row, raw, with what a message names it by."""

    names: tuple[str, ...]
    values: tuple[Any, ...]

    @property
    def content(self) -> str:
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


def _rows(session: Session, source: str, ids: Sequence[int]) -> dict[int, _Row]:
    raw = _raw_table(source)
    names = tuple(c.name for c in raw.columns)
    at = names.index("id")
    wanted = set(ids)
    found: dict[int, _Row] = {}
    low, high = min(wanted), max(wanted)
    if high - low < 2 * len(wanted) + _BATCH:
        # The usual case (the rows one unit of work wrote): one range, read in order.
        queries = [select(raw).where(raw.c.id.between(low, high))]
    else:
        ordered = sorted(wanted)
        queries = [
            select(raw).where(raw.c.id.in_(ordered[i : i + _BATCH]))
            for i in range(0, len(ordered), _BATCH)
        ]
    for query in queries:
        for row in session.execute(query).all():
            if row[at] in wanted:
                found[row[at]] = _Row(names, tuple(row))
    return found


def extend_chain(session: Session) -> int:
    """Chain every queued row, in the caller's transaction; the number chained. Without the
    office's key on this computer nothing is chained (and `audit verify` says so)."""
    if session.scalar(select(AuditChainPending.id).limit(1)) is None:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    queue = _PENDING
    pending = session.execute(
        select(queue.c.id, queue.c.source, queue.c.row_id, queue.c.backfill).order_by(queue.c.id)
    ).all()
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
    rows: dict[str, dict[int, Any]] = {}
    for source in SOURCE_TABLES:
        ids = [p.row_id for p in pending if p.source == source]
        rows[source] = _rows(session, source, ids) if ids else {}
    now = utcnow()
    stamp = now.isoformat()
    links: list[tuple[Any, ...]] = []
    seen = _already_chained(session, pending)
    sqlite = session.get_bind().dialect.name == "sqlite"
    # Stored as the column type would store it, without converting each row.
    stored: Any = now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    for item in pending:
        row = rows.get(item.source, {}).get(item.row_id)
        if row is None or (item.source, item.row_id) in seen:
            continue
        seen.add((item.source, item.row_id))
        seq += 1
        backfill = bool(item.backfill) and chain_empty
        previous = link_mac(
            key, seq, item.source, item.row_id, stamp, backfill, previous, row.content
        )
        links.append((seq, item.source, item.row_id, stored, backfill, previous))
    # Straight to the driver: tens of thousands of links after an import, each a plain tuple.
    insert = _INSERT_LINKS[sqlite]
    connection = session.connection()
    for start in range(0, len(links), _BATCH):
        connection.exec_driver_sql(insert, links[start : start + _BATCH])
    done = sorted(p.id for p in pending)
    if sqlite and done[-1] - done[0] + 1 == len(done):
        # One writer at a time on SQLite: the range holds exactly the rows just read.
        session.execute(
            delete(AuditChainPending).where(AuditChainPending.id.between(done[0], done[-1]))
        )
    else:
        for start in range(0, len(done), _BATCH):
            chunk = done[start : start + _BATCH]
            session.execute(delete(AuditChainPending).where(AuditChainPending.id.in_(chunk)))
    return len(links)


def mark_backfill(session: Session) -> None:
    """The rows queued so far were dated in the past on purpose (demo data, the history an
    upgrade found). Honoured only while the chain is empty, so it cannot bless a row someone
    back-dated into a running office's history."""
    session.execute(update(AuditChainPending).values(backfill=True))


def _already_chained(session: Session, pending: Sequence[Any]) -> set[tuple[str, int]]:
    """Queued rows that already have a link: none in normal work, but a row queued twice
    (a restored backup, a hand-made queue entry) must not get a second one. Rows above the
    highest id chained so far cannot have one, so only the others are looked up."""
    found: set[tuple[str, int]] = set()
    for source in SOURCE_TABLES:
        highest = session.scalar(
            select(func.max(AuditChainLink.row_id)).where(AuditChainLink.source == source)
        )
        if highest is None:
            continue
        ids = sorted({p.row_id for p in pending if p.source == source and p.row_id <= highest})
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            found.update(
                (source, row_id)
                for row_id in session.scalars(
                    select(AuditChainLink.row_id).where(
                        AuditChainLink.source == source, AuditChainLink.row_id.in_(chunk)
                    )
                )
            )
    return found


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
    previous, expected_seq, checked = "", 1, 0
    for batch in _links(session):
        sources: dict[str, dict[int, Any]] = {
            source: _rows(session, source, [link.row_id for link in batch if link.source == source])
            for source in SOURCE_TABLES
        }
        for link in batch:
            row = sources.get(link.source, {}).get(link.row_id)
            if link.seq != expected_seq:
                return Verification(
                    False,
                    checked,
                    f"Link {expected_seq} of the audit chain "
                    f"was removed (just before {_describe(link.source, row, link.row_id)}).",
                )
            if row is None:
                return Verification(
                    False,
                    checked,
                    f"{_describe(link.source, None, link.row_id)} "
                    f"was removed (chain link {link.seq}).",
                )
            expected = link_mac(
                key,
                link.seq,
                link.source,
                link.row_id,
                link.chained_at,
                link.backfill,
                previous,
                row.content,
            )
            if not hmac.compare_digest(expected, link.mac):
                return Verification(
                    False,
                    checked,
                    f"{_describe(link.source, row, link.row_id)} "
                    f"was changed after it was written (chain link {link.seq}).",
                )
            at = getattr(row, "at", None)
            if not link.backfill and at is not None and at < link.chained_at - BACKDATED:
                return Verification(
                    False,
                    checked,
                    f"{_describe(link.source, row, link.row_id)} "
                    f"was inserted out of order: it is dated {at:%Y-%m-%d %H:%M} "
                    f"but was chained {link.chained_at:%Y-%m-%d %H:%M} UTC.",
                )
            previous, expected_seq, checked = link.mac, expected_seq + 1, checked + 1
    return _unchained(session, checked)


def _unchained(session: Session, checked: int) -> Verification:
    pending = session.scalar(select(func.count(AuditChainPending.id))) or 0
    for source in SOURCE_TABLES:
        table = _table(source)
        queued = select(AuditChainPending.row_id).where(AuditChainPending.source == source)
        chained = select(AuditChainLink.row_id).where(AuditChainLink.source == source)
        stray = session.execute(
            select(table)
            .where(table.c.id.not_in(chained), table.c.id.not_in(queued))
            .order_by(table.c.id)
            .limit(1)
        ).first()
        if stray is not None:
            return Verification(
                False,
                checked,
                f"{_describe(source, stray, stray.id)} is not in the "
                "audit chain: it was inserted behind the app's back.",
            )
    return Verification(True, checked, pending=pending)
