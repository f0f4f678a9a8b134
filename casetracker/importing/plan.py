"""Reading a whole list into an import plan: what would be stored, and every problem, before
anything is written. Duplicates within the file are merged; rows already in the database are
left alone; people are linked by NYSID, else by name and date of birth."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import MotionKind
from casetracker.domain.models import Case, ImportBatch, Motion, Person
from casetracker.importing.collector import collector_paused
from casetracker.importing.locate import locate
from casetracker.importing.mapping import (
    FIELD_LABELS,
    ColumnMapping,
    apply_profile,
    auto_mapping,
)
from casetracker.importing.reader import ImportFileError, Row, SourceFile
from casetracker.importing.validate import (
    ERROR,
    ImportRecord,
    Problem,
    RowValidator,
)
from casetracker.normalize.cell import cell_text

Progress = Callable[[int, int, str], None]
# Large IN lists: one round trip per few thousand rows (well under SQLite's 32,766 limit).
_CHUNK = 4000
_PROGRESS_EVERY = 5000
_MATCHES_SHOWN = 5


@dataclass
class ImportOptions:
    sheet: str | None = None
    header_row: int | None = None  # as the user sees it (1 = the first row)
    mapping: ColumnMapping | None = None
    profile: dict[str, str] | None = None
    kind: MotionKind | None = None  # None: warrant list unless the headers say convictions


@dataclass
class ImportCounts:
    rows_read: int = 0
    valid: int = 0
    errors: int = 0
    warnings: int = 0  # rows imported with at least one warning
    warning_messages: int = 0
    duplicates: int = 0
    already_present: int = 0
    skipped: int = 0
    skipped_blank: int = 0
    skipped_totals: int = 0
    people_created: int = 0
    people_linked: int = 0
    possible_matches: int = 0


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PossibleMatch:
    """A person in the list who may be someone already known: for a human to review."""

    row: int
    name: str
    date_of_birth: date | None
    other: str  # "person 12" or "row 40 of this file"
    other_name: str
    other_date_of_birth: date | None
    why: str


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    sheet: str
    header_row: int  # as the user sees it
    first_column: int
    mapping: ColumnMapping
    kind: MotionKind
    records: list[ImportRecord] = field(default_factory=list)
    new_people: list[NewPerson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[int, Row]] = field(default_factory=list)
    possible_matches: list[PossibleMatch] = field(default_factory=list)
    counts: ImportCounts = field(default_factory=ImportCounts)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def choose_mapping(headers: Row, options: ImportOptions) -> ColumnMapping:
    if options.mapping is not None:
        return options.mapping
    if options.profile is not None:
        return apply_profile(headers, options.profile)
    return auto_mapping(headers)


def guess_kind(mapping: ColumnMapping) -> MotionKind:
    words = " ".join(mapping.headers).lower()
    if "warrant" in words:
        return MotionKind.WARRANT_DISMISSAL
    convictions = "conviction" in words or "sentence" in mapping.fields
    if convictions or "disposition_date" in mapping.fields:
        return MotionKind.CONVICTION_VACATUR
    return MotionKind.WARRANT_DISMISSAL


def read_layout(source: SourceFile, options: ImportOptions) -> tuple[str, int, ColumnMapping]:
    """(sheet, header row index, mapping); ImportFileError when the file holds no warrant list."""
    where = locate(source, options.sheet)
    sheet = source.sheet(where.sheet)
    if options.header_row is not None:
        header_index = options.header_row - 1
        if not 0 <= header_index < len(sheet.rows):
            raise ImportFileError(
                f"Sheet '{where.sheet}' has no row {options.header_row} "
                f"(it has {len(sheet.rows)} rows)."
            )
    else:
        header_index = where.header_index
    if not any(cell_text(c) for row in sheet.rows for c in row[:50]):
        raise ImportFileError(f"{source.file_name}: sheet '{where.sheet}' is empty.")
    headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
    mapping = choose_mapping(headers, options)
    missing = mapping.missing_required()
    if missing:
        found = ", ".join(f"'{h}'" for h in mapping.headers if h)[:400] or "none"
        raise ImportFileError(
            f"{source.file_name}, sheet '{where.sheet}': no warrant-list columns for "
            f"{' and '.join(missing)} (header row {header_index + 1} has: {found}). "
            "Choose the sheet and header row, or map the columns yourself."
        )
    return where.sheet, header_index, mapping


def build_plan(
    session: Session,
    source: SourceFile,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    with collector_paused():
        return _build_plan(session, source, options or ImportOptions(), progress)


def _build_plan(
    session: Session,
    source: SourceFile,
    options: ImportOptions,
    progress: Progress | None,
) -> ImportPlan:
    sheet_name, header_index, mapping = read_layout(source, options)
    sheet = source.sheet(sheet_name)
    kind = options.kind or guess_kind(mapping)
    plan = ImportPlan(
        source.file_name,
        source.sha256,
        sheet_name,
        header_index + 1,
        sheet.first_column,
        mapping,
        kind,
    )
    counts = plan.counts
    validator = RowValidator(mapping, sheet_name, sheet.first_column)
    rows = sheet.rows
    end = len(rows)
    while end > header_index + 1 and validator.skip_reason(rows[end - 1]) == "blank":
        end -= 1
    total = end - header_index - 1
    counts.rows_read = max(total, 0)

    # Pass 1: which rows are data, and the case each names.
    entries: list[tuple[int, Row, object]] = []
    for index in range(header_index + 1, end):
        row = rows[index]
        reason = validator.skip_reason(row)
        if reason is not None:
            counts.skipped += 1
            if reason == "blank":
                counts.skipped_blank += 1
            else:
                counts.skipped_totals += 1
            continue
        entries.append((index + 1, row, validator.identifier(row)))
        if progress is not None and len(entries) % _PROGRESS_EVERY == 0:
            progress(index - header_index, total * 2, "Reading rows")

    present = _already_present(session, kind, (e[2] for e in entries))

    # Pass 2: validate what is new; repeats and cases already on file are only counted.
    by_key: dict[str, ImportRecord] = {}
    done = 0
    for row_number, row, ident in entries:
        done += 1
        if progress is not None and done % _PROGRESS_EVERY == 0:
            progress(total + done, total * 2, "Checking rows")
        key = getattr(ident, "key", None)
        if key is not None:
            existing = by_key.get(key)
            if existing is not None:
                counts.duplicates += 1
                _merge_charge(existing, validator.charge_of(row))
                continue
            if key in present:
                counts.already_present += 1
                present.discard(key)
                by_key[key] = _PRESENT
                continue
        record = validator.record(row, row_number, ident)  # type: ignore[arg-type]
        if record is None:
            counts.errors += 1
            plan.rejected.append((row_number, row))
            continue
        by_key[record_key(record)] = record
        plan.records.append(record)
        if record.warnings:
            counts.warnings += 1
    plan.problems = validator.problems
    counts.warning_messages = sum(1 for p in plan.problems if p.severity != ERROR)
    counts.valid = len(plan.records)
    link_people(session, plan)
    return plan


# Stands in for a case already in the database, so its repeats count as duplicates.
_PRESENT = ImportRecord(0, None, None, None, "", "", "", "", None, None, None, [])


def record_key(record: ImportRecord) -> str:
    return "D:" + record.docket if record.docket else "S:" + (record.summons or "")


def _merge_charge(record: ImportRecord, charge: object) -> None:
    # A case listed once per charge: the repeats add their charges to the one record.
    if record is _PRESENT or charge is None:
        return
    sections = {c.section or c.as_typed.upper() for c in record.charges}
    key = getattr(charge, "section", None) or getattr(charge, "as_typed", "").upper()
    if key and key not in sections:
        record.charges.append(charge)  # type: ignore[arg-type]


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# Built once with expanding IN parameters: SQLAlchemy compiles each a single time, instead of
# coercing every number of every chunk into a literal of a new statement.
_CASES_BY_DOCKET = select(Case.id, Case.docket).where(
    Case.docket.in_(bindparam("numbers", expanding=True))
)
_CASES_BY_SUMMONS = select(Case.id, Case.summons_number).where(
    Case.summons_number.in_(bindparam("numbers", expanding=True)), Case.docket.is_(None)
)
# The kind is compared in Python, not in SQL, so that the case_id index is the one used.
_LIVE_MOTIONS = (
    select(Motion.case_id, Motion.kind)
    .outerjoin(ImportBatch, Motion.import_batch_id == ImportBatch.id)
    .where(
        Motion.case_id.in_(bindparam("case_ids", expanding=True)), ImportBatch.undone_at.is_(None)
    )
)


def _already_present(session: Session, kind: MotionKind, idents: Iterable[object]) -> set[str]:
    """Keys of the file's cases that already have a live motion of this kind.

    Motions of an undone batch do not count, so a list can be imported again after an undo.
    """
    dockets: list[str] = []
    summonses: list[str] = []
    for ident in idents:
        key = getattr(ident, "key", None)
        if key is None:
            continue
        (dockets if key.startswith("D:") else summonses).append(key[2:])
    present: set[str] = set()
    # Two index lookups per chunk (cases by number, then motions by case), not one join:
    # SQLite would otherwise walk every motion of the kind for every chunk.
    for query, prefix, values in (
        (_CASES_BY_DOCKET, "D:", dockets),
        (_CASES_BY_SUMMONS, "S:", summonses),
    ):
        for chunk in _chunks(sorted(set(values))):
            keys = {
                case_id: f"{prefix}{number}"
                for case_id, number in session.execute(query, {"numbers": chunk})
            }
            if not keys:
                continue
            live = session.execute(_LIVE_MOTIONS, {"case_ids": list(keys)})
            present.update([keys[case_id] for case_id, found in live if found == kind])
    return present


def link_people(session: Session, plan: ImportPlan) -> None:
    """Give each record a person: an existing one (id > 0) or a new one (-1 - index).

    Same NYSID is the same person; without a NYSID, the same name key and date of birth is.
    Two different NYSIDs are never merged, and a similar name alone only makes a possible
    match for someone to review.
    """
    records = plan.records
    counts = plan.counts
    nysids = sorted({r.nysid for r in records if r.nysid})
    keys = sorted({r.name_key for r in records if r.name_key})
    db_by_nysid: dict[str, int] = {}
    db_by_key: dict[str, list[tuple[int, date | None, str | None, str]]] = {}
    for chunk in _chunks(nysids):
        for pid, nysid in session.execute(
            select(Person.id, Person.nysid).where(Person.nysid.in_(chunk)).order_by(Person.id)
        ):
            db_by_nysid.setdefault(str(nysid), pid)
    for chunk in _chunks(keys):
        query = (
            select(
                Person.id,
                Person.name_key,
                Person.date_of_birth,
                Person.nysid,
                Person.last_name,
                Person.first_name,
            )
            .where(Person.name_key.in_(chunk))
            .order_by(Person.id)
        )
        for pid, key, dob, nysid, last, first in session.execute(query):
            db_by_key.setdefault(key, []).append((pid, dob, nysid, f"{last}, {first}"))

    file_by_nysid: dict[str, int] = {}
    file_by_key_dob: dict[tuple[str, date], int] = {}
    new_nysid: dict[int, str | None] = {}
    linked_existing: set[int] = set()
    first_row_of: dict[int, ImportRecord] = {}
    for record in records:
        ref = _find(record, file_by_nysid, file_by_key_dob, db_by_nysid, db_by_key, new_nysid)
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
            new_nysid[ref] = record.nysid
            first_row_of[ref] = record
        elif ref > 0:
            linked_existing.add(ref)
        record.person_ref = ref
        if record.nysid:
            file_by_nysid.setdefault(record.nysid, ref)
        if record.date_of_birth is not None and record.name_key:
            file_by_key_dob.setdefault((record.name_key, record.date_of_birth), ref)
    for ref, nysid in new_nysid.items():
        person = plan.new_people[-1 - ref]
        if nysid and person.nysid is None:
            plan.new_people[-1 - ref] = replace(person, nysid=nysid)
    counts.people_created = len(plan.new_people)
    counts.people_linked = len(linked_existing)
    _possible_matches(plan, first_row_of, db_by_key)


def _find(
    record: ImportRecord,
    file_by_nysid: dict[str, int],
    file_by_key_dob: dict[tuple[str, date], int],
    db_by_nysid: dict[str, int],
    db_by_key: dict[str, list[tuple[int, date | None, str | None, str]]],
    new_nysid: dict[int, str | None],
) -> int | None:
    if record.nysid:
        found = file_by_nysid.get(record.nysid) or db_by_nysid.get(record.nysid)
        if found:
            return found
    if record.date_of_birth is None or not record.name_key:
        return None
    in_file = file_by_key_dob.get((record.name_key, record.date_of_birth))
    if in_file is not None and _nysids_agree(record.nysid, new_nysid.get(in_file)):
        if in_file < 0 and new_nysid.get(in_file) is None and record.nysid:
            new_nysid[in_file] = record.nysid
        return in_file
    for pid, dob, nysid, _name in db_by_key.get(record.name_key, []):
        if dob == record.date_of_birth and _nysids_agree(record.nysid, nysid):
            return pid
    return None


def _nysids_agree(one: str | None, other: str | None) -> bool:
    return not one or not other or one == other


def _possible_matches(
    plan: ImportPlan,
    first_row_of: dict[int, ImportRecord],
    db_by_key: dict[str, list[tuple[int, date | None, str | None, str]]],
) -> None:
    seen_in_file: dict[str, ImportRecord] = {}
    for record in first_row_of.values():
        name = f"{record.last}, {record.first}".strip(", ")
        for pid, dob, _nysid, other_name in db_by_key.get(record.name_key, [])[:_MATCHES_SHOWN]:
            plan.possible_matches.append(
                PossibleMatch(
                    record.row,
                    name,
                    record.date_of_birth,
                    f"person {pid}",
                    other_name,
                    dob,
                    _why(record.date_of_birth, dob),
                )
            )
        earlier = seen_in_file.get(record.name_key)
        if earlier is not None:
            plan.possible_matches.append(
                PossibleMatch(
                    record.row,
                    name,
                    record.date_of_birth,
                    f"row {earlier.row} of this file",
                    f"{earlier.last}, {earlier.first}".strip(", "),
                    earlier.date_of_birth,
                    _why(record.date_of_birth, earlier.date_of_birth),
                )
            )
        else:
            seen_in_file[record.name_key] = record
    plan.counts.possible_matches = len(plan.possible_matches)


def _why(one: date | None, other: date | None) -> str:
    if one is None or other is None:
        return "same name, date of birth unknown"
    if one == other:
        return "same name and date of birth, different NYSID"
    return "same name, different date of birth"


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


@dataclass(frozen=True)
class PreviewRow:
    """One record as it will be stored, for the preview table."""

    row: int
    case: str
    name: str
    date_of_birth: str
    nysid: str
    charges: str
    county: str
    warrant_date: str
    person: str


def preview_rows(plan: ImportPlan, limit: int = 100) -> list[PreviewRow]:
    out = []
    for r in plan.records[:limit]:
        given = " ".join(p for p in (r.first, r.middle) if p)
        out.append(
            PreviewRow(
                r.row,
                r.docket or r.summons or "",
                f"{r.last}, {given}" if given else r.last,
                r.date_of_birth.isoformat() if r.date_of_birth else "",
                r.nysid or "",
                "; ".join(c.section or c.as_typed for c in r.charges),
                r.county.label if r.county else "",
                r.warrant_date.isoformat() if r.warrant_date else "",
                "new" if r.person_ref < 0 else f"on file (person {r.person_ref})",
            )
        )
    return out
