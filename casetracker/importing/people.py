"""Linking a list's rows to people: the same NYSID is the same person; without one, the same
name key and date of birth is. Two different NYSIDs are never merged, and a similar name only
makes a possible match for someone to review.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, String, bindparam, func, select
from sqlalchemy.orm import Session

from casetracker.domain.models import Person
from casetracker.importing.bulk_insert import sqlite_has_json
from casetracker.importing.in_lists import in_chunks
from casetracker.importing.similar import similarity
from casetracker.importing.validate import ImportRecord

if TYPE_CHECKING:
    from casetracker.importing.plan import ImportPlan

_WORD = re.compile(r"[^\W\d_]+")
# How many others of the same name a new person is compared with.
_SAME_NAME_COMPARED = 200
# How many others with the same date of birth a new person's name is compared with.
_SAME_BIRTH_COMPARED = 20
# Day and month swapped: one date of 18,000, a clue however common the name.
_SWAPPED_DAY_MONTH = 85
# A date of birth a digit from another is no clue among more namesakes than this (a one in
# 40 chance at eight); each namesake lowers its score.
_TYPO_NAMESAKES = 8
_PER_NAMESAKE = 3


def _look_up_queries(
    columns: tuple[Any, ...], column: Any, *where: Any
) -> tuple[Select[Any], Select[Any]]:
    """People whose column holds one of the values: (by IN list, by JSON array on SQLite).

    SQLite walks the whole list, passed as one JSON array, through the column's index; an IN
    list takes a statement per few thousand values (at 56,000 new people: 0.2 s against 0.03).
    The array is an IN subquery, not a join: SQLite makes it a list once. Joined, with a
    range on person.id it scanned people and re-read the whole array for each one (an import
    of 20,000 rows into an office of 37,000 people spent 66 s there).
    """
    in_list = (
        select(*columns)
        .where(column.in_(bindparam("values", expanding=True)), *where)
        .order_by(Person.id)
    )
    listed = func.json_each(bindparam("values", type_=String)).table_valued("value")
    joined = select(*columns).where(column.in_(select(listed.c.value)), *where).order_by(Person.id)
    return in_list, joined


_BY_NYSID = _look_up_queries(
    (
        Person.id,
        Person.nysid,
        Person.name_key,
        Person.last_name,
        Person.first_name,
        Person.date_of_birth,
    ),
    Person.nysid,
)
_BY_NAME_KEY = _look_up_queries(
    (
        Person.id,
        Person.name_key,
        Person.date_of_birth,
        Person.nysid,
        Person.last_name,
        Person.first_name,
    ),
    Person.name_key,
)
_BY_BIRTH_DATE = _look_up_queries(
    (
        Person.id,
        Person.name_key,
        Person.date_of_birth,
        Person.last_name,
        Person.first_name,
        Person.nysid,
    ),
    Person.date_of_birth,
    Person.id <= bindparam("known"),
)


def _people_with(
    reader: Session | Connection,
    queries: tuple[Select[Any], Select[Any]],
    values: Sequence[Any],
    **params: Any,
) -> Iterator[Any]:
    """Rows of the people matching any of values, in order of id within each statement."""
    if not values:
        return
    in_list, joined = queries
    connection = reader.connection() if isinstance(reader, Session) else reader
    if connection.dialect.name == "sqlite" and sqlite_has_json(connection):
        listed = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values])
        yield from reader.execute(joined, {"values": listed, **params})
        return
    for chunk in in_chunks(values):
        yield from reader.execute(in_list, {"values": chunk, **params})


Known = tuple[int, date | None, str | None, str]  # id, date of birth, NYSID, "Last, First"


# Not frozen: a frozen dataclass sets each field through object.__setattr__, five times the
# cost of making one, and an import makes one per new person (tens of thousands).
@dataclass(slots=True)
class NewPerson:
    last: str
    first: str
    middle: str
    name_key: str
    date_of_birth: date | None
    nysid: str | None
    nysid_as_typed: str | None
    address: str | None
    phone: str | None


@dataclass(slots=True)
class PossibleMatch:
    """A person in the list who may be someone already known: for a human to review."""

    row: int
    name: str
    date_of_birth: date | None
    other: str  # "person 12" or "row 40 of this file"
    other_name: str
    other_date_of_birth: date | None
    why: str
    score: int = 0  # out of 100: how likely the two are one person; the review sorts by it
    # The person on file it may be (None: another row of this file), for the window to open.
    person_id: int | None = None
    other_row: int | None = None  # the other row of this file it may be


def prepare_linking(session: Session, plan: ImportPlan) -> PeopleLinker:
    """Reads now all that linking the plan's records and looking for possible matches need
    from the database; link() and find_possible_matches() then read none, and can run on
    another thread while SQLite stores rows."""
    linker = PeopleLinker(session, plan)
    linker.look_up()
    linker.look_up_births()
    return linker


class PeopleLinker:
    """Gives each record a person: an existing one (id > 0) or a new one (-1 - index)."""

    def __init__(self, session: Session, plan: ImportPlan) -> None:
        self.session = session
        self.plan = plan
        # People stored before this import: the only ones a possible match may name.
        self.known_up_to: int = session.execute(select(func.max(Person.id))).scalar() or 0
        self.db_by_nysid: dict[str, int] = {}
        # Name key, "Last, First" and date of birth of the people on file found by NYSID.
        self.db_nysid_names: dict[int, tuple[str, str, date | None]] = {}
        self.db_by_key: dict[str, list[Known]] = {}
        self.file_by_nysid: dict[str, int] = {}
        self.file_by_key_dob: dict[tuple[str, date], int] = {}
        self.new_nysid: dict[int, str | None] = {}
        self.linked_existing: set[int] = set()
        self.first_row_of: dict[int, ImportRecord] = {}
        self.db_by_birth: list[tuple[int, str, date | None, str, str, str | None]] = []
        self.asked_nysids: set[str] = set()
        self.asked_keys: set[str] = set()
        self.linked = False
        self.matched = False

    def look_up(
        self, records: Sequence[ImportRecord] | None = None, reader: Connection | None = None
    ) -> None:
        """Who on file linking these records (default: all the plan's) may need, through
        reader (default: the import's session). Asked once per NYSID and name."""
        if not self.known_up_to:
            return  # nobody on file yet: nothing to find
        if records is None:
            records = self.plan.records
        asking: Session | Connection = reader if reader is not None else self.session
        nysids = list({r.nysid for r in records if r.nysid} - self.asked_nysids)
        keys = list({r.name_key for r in records if r.name_key} - self.asked_keys)
        self.asked_nysids.update(nysids)
        self.asked_keys.update(keys)
        for pid, nysid, key, last, first, born in _people_with(asking, _BY_NYSID, nysids):
            self.db_by_nysid.setdefault(str(nysid), pid)
            self.db_nysid_names[pid] = (key, f"{last}, {first}", born)
        for pid, key, dob, nysid, last, first in _people_with(asking, _BY_NAME_KEY, keys):
            self.db_by_key.setdefault(key, []).append((pid, dob, nysid, f"{last}, {first}"))

    def look_up_births(self, reader: Connection | None = None) -> None:
        """People on file born on a day someone in the list was, for possible matches (who
        is new is known only after linking)."""
        if not self.known_up_to:
            return
        asking: Session | Connection = reader if reader is not None else self.session
        records = self.plan.records
        births = sorted({r.date_of_birth for r in records if r.date_of_birth is not None})
        rows = _people_with(asking, _BY_BIRTH_DATE, births, known=self.known_up_to)
        self.db_by_birth.extend((p, k, d, la, fi, n) for p, k, d, la, fi, n in rows)

    def link(self) -> None:
        """Links every record, once, and finishes."""
        if self.linked:
            return
        self.link_records(self.plan.records)
        self.finish()

    def link_records(self, records: Sequence[ImportRecord]) -> None:
        """Links the next records of the list, in its order (looked up beforehand)."""
        plan = self.plan
        for record in records:
            ref = self._find(record)
            if ref is None:
                ref = -1 - len(plan.new_people)
                plan.new_people.append(
                    NewPerson(
                        record.last,
                        record.first,
                        record.middle,
                        record.name_key,
                        record.date_of_birth,
                        record.nysid,
                        record.nysid_as_typed,
                        record.address,
                        record.phone,
                    )
                )
                self.new_nysid[ref] = record.nysid
                self.first_row_of[ref] = record
            elif ref > 0:
                self.linked_existing.add(ref)
            record.person_ref = ref
            if record.nysid:
                self.file_by_nysid.setdefault(record.nysid, ref)
            if record.date_of_birth is not None and record.name_key:
                self.file_by_key_dob.setdefault((record.name_key, record.date_of_birth), ref)

    def nysids_given_later(self) -> list[tuple[int, str]]:
        """(index in new_people, NYSID) of the new people first met without a NYSID, to
        whom a later row of the same person gave one."""
        people = self.plan.new_people
        return [
            (-1 - ref, nysid)
            for ref, nysid in self.new_nysid.items()
            if nysid and people[-1 - ref].nysid is None
        ]

    def finish(self) -> None:
        """After the last record: the NYSIDs later rows gave to new people, the counts."""
        plan = self.plan
        for index, nysid in self.nysids_given_later():
            plan.new_people[index] = replace(plan.new_people[index], nysid=nysid)
        plan.counts.people_created = len(plan.new_people)
        plan.counts.people_linked = len(self.linked_existing)
        self.linked = True

    def find_possible_matches(self) -> None:
        """Once, after link()."""
        if self.matched:
            return
        self.link()
        self._same_name_matches()
        self._same_nysid_matches()
        self._similar_name_matches()
        # The review starts with the likeliest; within a score, in the order of the list.
        self.plan.possible_matches.sort(key=lambda m: (-m.score, m.row))
        self.plan.counts.possible_matches = len(self.plan.possible_matches)
        self.matched = True

    # --- linking ----------------------------------------------------------------------------

    def _find(self, record: ImportRecord) -> int | None:
        if record.nysid:
            found = self.file_by_nysid.get(record.nysid) or self.db_by_nysid.get(record.nysid)
            if found:
                return found
        if record.date_of_birth is None or not record.name_key:
            return None
        in_file = self.file_by_key_dob.get((record.name_key, record.date_of_birth))
        new_nysid = self.new_nysid
        if in_file is not None and _nysids_agree(record.nysid, new_nysid.get(in_file)):
            if in_file < 0 and new_nysid.get(in_file) is None and record.nysid:
                new_nysid[in_file] = record.nysid
            return in_file
        for pid, dob, nysid, _name in self.db_by_key.get(record.name_key, []):
            if dob == record.date_of_birth and _nysids_agree(record.nysid, nysid):
                return pid
        return None

    # --- possible matches -------------------------------------------------------------------

    def _same_name_matches(self) -> None:
        """New people whose name someone else has, with more in common than the name: a
        date of birth a typo away, or day and month swapped; or the same date of birth and
        another NYSID. The same name with another date of birth alone is two people: a city
        has many John Smiths."""
        matches = self.plan.possible_matches
        in_file: dict[str, list[ImportRecord]] = {}
        named = Counter(record.name_key for record in self.first_row_of.values())
        for record in self.first_row_of.values():
            key = record.name_key
            earlier = in_file.setdefault(key, [])
            on_file = self.db_by_key.get(key, [])
            crowded = len(earlier) + len(on_file) > 2
            # Everyone else of this name, in the file and on file: what chance has to work with.
            namesakes = named[key] - 1 + len(on_file)
            nysid = self._nysid_of(record)
            for pid, dob, other_nysid, other_name in on_file[:_SAME_NAME_COMPARED]:
                found = _same_name(
                    record.date_of_birth, dob, crowded, nysid, other_nysid, namesakes
                )
                if found is not None:
                    matches.append(_on_file(record, pid, other_name, dob, *found))
            for other in earlier[-_SAME_NAME_COMPARED:]:
                found = _same_name(
                    record.date_of_birth,
                    other.date_of_birth,
                    crowded,
                    nysid,
                    self._nysid_of(other),
                    namesakes,
                )
                if found is not None:
                    matches.append(_in_file(record, other, *found))
            earlier.append(record)

    def _nysid_of(self, record: ImportRecord) -> str | None:
        """The NYSID of a new person, given by any of their rows."""
        return record.nysid or self.new_nysid.get(record.person_ref)

    def _same_nysid_matches(self) -> None:
        """Rows linked to someone by NYSID alone, under a name that is not theirs at all:
        one NYSID mistyped, or one person under two names. Linked, and listed to check."""
        matches = self.plan.possible_matches
        flagged: set[tuple[int, str]] = set()
        for record in self.plan.records:
            ref = record.person_ref
            if not record.nysid or not record.name_key or (ref, record.name_key) in flagged:
                continue
            if ref < 0:
                first = self.first_row_of.get(ref)
                if first is None or first is record or first.name_key == record.name_key:
                    continue
                key, name, born, other = (
                    first.name_key,
                    _name(first),
                    first.date_of_birth,
                    f"row {first.row} of this file",
                )
                on_file, other_row = None, first.row
            else:
                known = self.db_nysid_names.get(ref)
                if known is None or known[0] == record.name_key:
                    continue
                key, name, born = known
                other = f"person {ref}"
                on_file, other_row = ref, None
            if similarity(record.name_key, key) is not None:
                continue  # a typo in the name of the person the NYSID names: no doubt
            flagged.add((ref, record.name_key))
            matches.append(
                PossibleMatch(
                    record.row,
                    _name(record),
                    record.date_of_birth,
                    other,
                    name,
                    born,
                    "same NYSID, another name (linked by the NYSID: check it)",
                    70,
                    on_file,
                    other_row,
                )
            )

    def _births(self) -> dict[date, list[ImportRecord]]:
        by_birth: dict[date, list[ImportRecord]] = {}
        for record in self.first_row_of.values():
            if record.date_of_birth is not None and record.name_key:
                by_birth.setdefault(record.date_of_birth, []).append(record)
        return by_birth

    def _similar_name_matches(self) -> None:
        """New people with the same date of birth as someone else and a name a typo, an
        initial, a swap or half a compound surname away."""
        by_birth = self._births()
        matches = self.plan.possible_matches
        for group in by_birth.values():
            for index, record in enumerate(group):
                nysid = self._nysid_of(record)
                for earlier in group[max(index - _SAME_BIRTH_COMPARED, 0) : index]:
                    if _two_nysids(nysid, self._nysid_of(earlier)):
                        continue
                    found = similarity(record.name_key, earlier.name_key) or _reordered(
                        _tokens(record.last, record.first, record.middle),
                        _tokens(earlier.last, earlier.first, earlier.middle),
                    )
                    if found is not None:
                        why, score = found
                        matches.append(
                            _in_file(record, earlier, f"same date of birth, {why}", score)
                        )
        for pid, key, dob, last, first, other_nysid in self.db_by_birth:
            if dob is None:
                continue
            # A date many rows share (a placeholder like 1/1/1900) is no clue to identity.
            for record in by_birth.get(dob, [])[:_SAME_BIRTH_COMPARED]:
                if _two_nysids(self._nysid_of(record), other_nysid):
                    continue
                found = similarity(record.name_key, key) or _reordered(
                    _tokens(record.last, record.first, record.middle), _tokens(last, first)
                )
                if found is not None:
                    why, score = found
                    other = f"{last}, {first}"
                    matches.append(
                        _on_file(record, pid, other, dob, f"same date of birth, {why}", score)
                    )


def _two_nysids(one: str | None, other: str | None) -> bool:
    """Two different NYSIDs: two people (a NYSID is given by fingerprints), however alike
    their names and dates."""
    return bool(one and other and one != other)


def _tokens(*parts: str) -> tuple[str, ...]:
    return tuple(sorted(_WORD.findall(" ".join(parts).upper())))


def _reordered(one: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, int] | None:
    """The same words of a name in another order ('MATTHEW, LA GREEN' and 'LA GREEN,
    MATTHEW'): first and last names swapped where a surname has two words."""
    if len(one) >= 2 and one == other:
        return "the same names in another order", 85
    return None


def _same_name(
    one: date | None,
    other: date | None,
    crowded: bool,
    nysid: str | None,
    other_nysid: str | None,
    namesakes: int = 1,
) -> tuple[str, int] | None:
    """(why, score) for two people of one name, or None when nothing else joins them.
    namesakes: how many others bear the name; a date of birth one keystroke from another is
    a clue among a few of them, chance among many."""
    if one is None or other is None:
        # With no date to compare, only a rare name is a clue.
        if crowded or _two_nysids(nysid, other_nysid):
            return None
        return "same name, a date of birth unknown", 35
    if one == other:
        # Not linked, so their NYSIDs differ: two people, unless one was mistyped.
        return "same name and date of birth, different NYSID", 50
    if _two_nysids(nysid, other_nysid):
        return None
    found = birth_dates_alike(one, other)
    if found is None:
        return None
    why, score = found
    if score < _SWAPPED_DAY_MONTH:
        # About 50 of the 18,000 dates of birth in a lifetime are one digit (or two digits
        # swapped) from a given one: each namesake has a 1 in 350 chance of such a date.
        if namesakes > _TYPO_NAMESAKES:
            return None
        score -= _PER_NAMESAKE * (namesakes - 1)
    if namesakes > 1:
        return f"same name (shared by {namesakes + 1} people), {why}", score
    return f"same name, {why}", score


def birth_dates_alike(one: date, other: date) -> tuple[str, int] | None:
    """(why, score) for two different dates of birth that one slip of the keyboard could
    turn into each other; None for any other two dates."""
    if one.year == other.year and one.month == other.day and one.day == other.month:
        return "day and month of birth swapped", _SWAPPED_DAY_MONTH
    a, b = f"{one:%Y%m%d}", f"{other:%Y%m%d}"
    differ = [i for i in range(8) if a[i] != b[i]]
    if len(differ) == 1:
        return "dates of birth one digit apart", 80
    if (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    ):
        return "two digits of the date of birth swapped", 80
    return None


def _nysids_agree(one: str | None, other: str | None) -> bool:
    return not one or not other or one == other


def _on_file(
    record: ImportRecord, pid: int, name: str, born: date | None, why: str, score: int
) -> PossibleMatch:
    return PossibleMatch(
        record.row,
        _name(record),
        record.date_of_birth,
        f"person {pid}",
        name,
        born,
        why,
        score,
        pid,
    )


def _in_file(record: ImportRecord, earlier: ImportRecord, why: str, score: int) -> PossibleMatch:
    return PossibleMatch(
        record.row,
        _name(record),
        record.date_of_birth,
        f"row {earlier.row} of this file",
        _name(earlier),
        earlier.date_of_birth,
        why,
        score,
        other_row=earlier.row,
    )


def _name(record: ImportRecord) -> str:
    return f"{record.last}, {record.first}".strip(", ")
