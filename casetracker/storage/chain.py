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
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
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


class ChainKeyMissing(Exception):
    """This computer has no key, or another key than the one the database's chain uses."""


def _table(source: str) -> Table:
    return Base.metadata.tables[SOURCE_TABLES[source]]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def canonical(row: Any) -> str:
    """A row as the chain sees it: every column with a value, in a fixed order. Columns a
    later release adds are empty on old rows, so old links still verify."""
    values = {key: _plain(value) for key, value in row._mapping.items() if value is not None}
    return json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def link_mac(
    key: bytes,
    seq: int,
    source: str,
    row_id: int,
    chained_at: datetime,
    backfill: bool,
    previous: str,
    content: str,
) -> str:
    message = "\x1f".join(
        (
            str(seq),
            source,
            str(row_id),
            chained_at.isoformat(),
            "1" if backfill else "0",
            previous,
            content,
        )
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


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


def _rows(session: Session, source: str, ids: Sequence[int]) -> dict[int, Any]:
    table = _table(source)
    found: dict[int, Any] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = list(ids[start : start + _BATCH])
        for row in session.execute(select(table).where(table.c.id.in_(chunk))):
            found[row.id] = row
    return found


def extend_chain(session: Session) -> int:
    """Chain every queued row, in the caller's transaction; the number chained. Without the
    office's key on this computer nothing is chained (and `audit verify` says so)."""
    if session.scalar(select(AuditChainPending.id).limit(1)) is None:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    pending = session.execute(
        select(
            AuditChainPending.id,
            AuditChainPending.source,
            AuditChainPending.row_id,
            AuditChainPending.backfill,
        ).order_by(AuditChainPending.id)
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
    links: list[dict[str, Any]] = []
    seen = _already_chained(session, {(p.source, p.row_id) for p in pending})
    for item in pending:
        row = rows.get(item.source, {}).get(item.row_id)
        if row is None or (item.source, item.row_id) in seen:
            continue
        seen.add((item.source, item.row_id))
        seq += 1
        backfill = bool(item.backfill) and chain_empty
        previous = link_mac(
            key, seq, item.source, item.row_id, now, backfill, previous, canonical(row)
        )
        links.append(
            {
                "seq": seq,
                "source": item.source,
                "row_id": item.row_id,
                "chained_at": now,
                "backfill": backfill,
                "mac": previous,
            }
        )
    for start in range(0, len(links), _BATCH):
        session.execute(insert(AuditChainLink), links[start : start + _BATCH])
    done = [p.id for p in pending]
    for start in range(0, len(done), _BATCH):
        session.execute(
            delete(AuditChainPending).where(AuditChainPending.id.in_(done[start : start + _BATCH]))
        )
    return len(links)


def mark_backfill(session: Session) -> None:
    """The rows queued so far were dated in the past on purpose (demo data, the history an
    upgrade found). Honoured only while the chain is empty, so it cannot bless a row someone
    back-dated into a running office's history."""
    session.execute(update(AuditChainPending).values(backfill=True))


def _already_chained(session: Session, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Queued rows that already have a link: none in normal work, but a row queued twice
    (a restored backup, a hand-made queue entry) must not get a second one."""
    found: set[tuple[str, int]] = set()
    for source in SOURCE_TABLES:
        ids = [row_id for s, row_id in keys if s == source]
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
                canonical(row),
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
