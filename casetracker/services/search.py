"""Finding motions by what people type: a name, a docket or summons number, a NYSID.

Matching is substring, case- and accent-insensitive: each word typed must occur somewhere in
the motion's folded search text (`motion_search.doc`). Triggers queue every motion whose text
may have changed, by whatever path it was written; `refresh_search_index` folds the queue and
runs before every search, so a search never misses a motion that was just written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    column,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from casetracker.domain.errors import StorageError
from casetracker.domain.models import Case, Motion, MotionSearch, Person, SearchDirty
from casetracker.normalize import docket_search_key, fold
from casetracker.services.queries import first_charge_section
from casetracker.storage.db import Database, is_busy, session_is_read_only, session_only_reads

# Words shorter than this cannot use a trigram index; they match the start of a last name,
# docket/summons or NYSID instead (see _starting_with).
TRIGRAM = 3
_CHUNK = 2000
_FTS_REBUILD_FROM = 5000
# pg_advisory_xact_lock key: one desk at a time folds the queue.
_REFOLD_LOCK = 0x6374_7372

Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)


def query_words(typed: str) -> list[str]:
    """The words of a search, folded the way the documents are: 'O'Brien 2016-SN-0169'
    becomes ['obrien', '2016sn0169']."""
    words = []
    for word in typed.split():
        key = docket_search_key(fold(word))
        if key and key not in words:
            words.append(key)
    return words


def search_document(
    *,
    last: str,
    first: str = "",
    middle: str = "",
    aliases: Iterable[str] = (),
    nysid: str | None = None,
    docket: str | None = None,
    summons: str | None = None,
    docket_as_typed: str | None = None,
) -> str:
    """What a motion is found by, as space-separated folded words (names are also kept joined,
    so 'smithjones' and 'smith jones' both find Smith-Jones)."""
    words: list[str] = []
    for name in (last, first, middle, *aliases):
        folded = _fold_name(name or "")
        words.extend(folded.split())
        joined = folded.replace(" ", "")
        if " " in folded:
            words.append(joined)
    for identifier in (nysid, docket, summons, docket_as_typed):
        key = docket_search_key(identifier or "")
        if key:
            words.append(key)
    unique = list(dict.fromkeys(w for w in words if w))
    return " ".join(unique)


@lru_cache(maxsize=50_000)
def _fold_name(name: str) -> str:
    # Names repeat a great deal across 100,000 motions; folding is the slow part of a rebuild.
    return fold(name)


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count(SearchDirty.id))) or 0)


def refresh_search_index(session: Session, progress: Progress | None = None) -> int:
    """Fold the queued motions' search text again; returns how many motions were refolded.

    A reading unit of work (`Database.reading()`) folds nothing: it searches the index as it
    stands. Callers that read what people see call `refresh_search(db)` first, in a unit of
    work of its own, so the queue is empty (or left busy on purpose) by the time they read.
    """
    return _refresh(session, progress)


def refresh_search(db: Database, progress: Progress | None = None, *, busy_ok: bool = False) -> int:
    """Empty the queue in a unit of work of its own (which takes the write lock first).

    An empty queue (nearly every keystroke) is seen in a read, which waits for nobody: the
    write lock is asked for only when there is something to fold. Asked for every time, each
    keystroke on SQLite waited for an import's write lock.

    busy_ok (a view reading what it shows): when another connection holds the write lock for
    more than a moment (an import, a colleague's bulk move), leave the queue for the
    next call and return 0; the view reads the index as it stands rather than fail."""
    with db.reading() as session:
        if session.scalar(select(SearchDirty.id).limit(1)) is None:
            return 0
    try:
        with db.unit_of_work(wait_briefly=busy_ok) as session:
            return _refresh(session, progress)
    except StorageError as error:
        if not (busy_ok and is_busy(error)):
            raise
        log.info("search index left for later: the database is busy with another change")
        return 0


def _refresh(session: Session, progress: Progress | None) -> int:
    if session_only_reads(session) or session_is_read_only(session):
        # A reading unit of work never writes (on SQLite it could not wait for the write
        # lock); a read-only file keeps the text its last writer left.
        return 0
    top = session.scalar(select(func.max(SearchDirty.id)))
    if top is None:
        return 0
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        select(func.pg_try_advisory_xact_lock(_REFOLD_LOCK))
    ):
        # Another desk is folding the queue now (after a 100,000-row import, a minute's work).
        # Folding it too would wait on that one's rows past the statement limit: search the
        # index as it stands; the motions being folded are found once that one commits.
        return 0
    ids = list(
        session.scalars(select(SearchDirty.motion_id).where(SearchDirty.id <= top).distinct())
    )
    sqlite = session.get_bind().dialect.name == "sqlite"
    # Indexing row by row costs ~0.2 ms a motion; past this size one FTS rebuild is cheaper.
    rebuild_fts = sqlite and len(ids) >= _FTS_REBUILD_FROM
    for start in range(0, len(ids), _CHUNK):
        _refold(session, ids[start : start + _CHUNK], fts=sqlite and not rebuild_fts)
        if progress is not None:
            progress(min(start + _CHUNK, len(ids)), len(ids))
    if rebuild_fts:
        session.execute(text("INSERT INTO motion_fts (motion_fts) VALUES ('rebuild')"))
    session.execute(delete(SearchDirty).where(SearchDirty.id <= top))
    return len(ids)


def rebuild_search_index(session: Session, progress: Progress | None = None) -> int:
    """Queue every motion and fold them all: for a database whose index is in doubt."""
    session.execute(insert(SearchDirty).from_select(["motion_id"], select(Motion.id)))
    return refresh_search_index(session, progress)


def _starting_with(word: str) -> Any:
    """Motions whose last name, docket/summons or NYSID starts with `word` (index ranges)."""
    after = word[:-1] + chr(ord(word[-1]) + 1)
    upper, upper_after = word.upper(), after.upper()
    return (
        select(MotionSearch.motion_id)
        .where(MotionSearch.person_key >= word, MotionSearch.person_key < after)
        .union(
            select(MotionSearch.motion_id).where(
                MotionSearch.reference >= upper, MotionSearch.reference < upper_after
            ),
            select(MotionSearch.motion_id).where(
                MotionSearch.nysid >= upper, MotionSearch.nysid < upper_after
            ),
        )
    )


def _starts_with(word: str) -> ColumnElement[bool]:
    """The search row's own last name, docket/summons or NYSID starts with `word`: the same
    three index ranges, as one OR (both databases read it as an OR of index scans)."""
    after = word[:-1] + chr(ord(word[-1]) + 1)
    upper, upper_after = word.upper(), after.upper()
    return or_(
        and_(MotionSearch.person_key >= word, MotionSearch.person_key < after),
        and_(MotionSearch.reference >= upper, MotionSearch.reference < upper_after),
        and_(MotionSearch.nysid >= upper, MotionSearch.nysid < upper_after),
    )


def _refold(session: Session, motion_ids: Sequence[int], *, fts: bool) -> None:
    first_charge = first_charge_section()
    rows = session.execute(
        select(
            Motion.id,
            Person.last_name,
            Person.first_name,
            Person.middle_name,
            Person.aliases,
            Person.nysid,
            Case.docket,
            Case.summons_number,
            Case.docket_as_typed,
            Person.id,
            Person.date_of_birth,
            first_charge,
            Case.county,
        )
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.id.in_(motion_ids))
    ).all()
    docs = [
        {
            "motion_id": row[0],
            "doc": search_document(
                last=row[1],
                first=row[2],
                middle=row[3],
                aliases=[a for a in (row[4] or []) if isinstance(a, str)],
                nysid=row[5],
                docket=row[6],
                summons=row[7],
                docket_as_typed=row[8],
            ),
            # Last name, then given names, spaced: "smith john" sorts before "smithers ann".
            "person_key": " ".join(_fold_name(n or "") for n in row[1:4]).strip(),
            "date_of_birth": row[10],
            "nysid": row[5],
            "reference": row[6] or row[7],
            "charge": row[11],
            "county": row[12],
        }
        for row in rows
    ]
    found = {doc["motion_id"] for doc in docs}
    gone = [motion_id for motion_id in motion_ids if motion_id not in found]
    if gone:
        session.execute(delete(MotionSearch).where(MotionSearch.motion_id.in_(gone)))
    if not docs:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Imported here: loading the PostgreSQL dialect costs SQLite users ~60 ms at start-up.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        # Two users' searches may refold the same motion at once; the last one wins.
        statement = pg_insert(MotionSearch)
        columns = [c.name for c in MotionSearch.__table__.columns if c.name != "motion_id"]
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[MotionSearch.motion_id],
                set_={name: statement.excluded[name] for name in columns},
            ),
            docs,
        )
    else:
        # SQLite has one writer at a time: a plain delete (its trigger takes the old text out
        # of the FTS index) and insert.
        session.execute(delete(MotionSearch).where(MotionSearch.motion_id.in_(list(found))))
        connection = session.connection()
        connection.execute(insert(MotionSearch), docs)
        if fts:
            connection.execute(
                text("INSERT INTO motion_fts (rowid, doc) VALUES (:motion_id, :doc)"),
                [{"motion_id": d["motion_id"], "doc": d["doc"]} for d in docs],
            )


def search_condition(
    session: Session, typed: str, ident: Any = Motion.id
) -> ColumnElement[bool] | None:
    """A condition on `ident` (a motion id column) for the motions matching every word typed;
    None when nothing searchable was typed.

    When `ident` is the search row's own motion_id (the desk sorted by a search column) the
    words are tested on that row itself: as `ident IN (SELECT ... FROM motion_search)` the
    same table was joined to itself, and PostgreSQL read all of it to do so (a sequential
    scan of 100,000 search rows per keystroke)."""
    words = query_words(typed)
    if not words:
        return None
    own_row = ident is MotionSearch.motion_id
    conditions: list[ColumnElement[bool]] = []
    long_words = [w for w in words if len(w) >= TRIGRAM]
    short_words = [w for w in words if len(w) < TRIGRAM]
    if session.get_bind().dialect.name == "sqlite" and long_words:
        # Words are letters and digits only, so quoting each makes a safe FTS5 phrase query;
        # the whole expression still goes in as a bound parameter.
        expression = " ".join(f'"{w}"' for w in long_words)
        fts = text("SELECT rowid FROM motion_fts WHERE motion_fts MATCH :fts").bindparams(
            fts=expression
        )
        conditions.append(ident.in_(fts.columns(column("rowid", Integer))))
    else:
        for word in long_words:
            contains = MotionSearch.doc.contains(word, autoescape=True)
            conditions.append(
                contains if own_row else ident.in_(select(MotionSearch.motion_id).where(contains))
            )
    for word in short_words:
        # One or two characters match a third of the office as a substring; what people mean
        # is "starts with", which three index range scans answer at once.
        conditions.append(_starts_with(word) if own_row else ident.in_(_starting_with(word)))
    return and_(*conditions)
