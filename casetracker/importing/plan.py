"""Reading a whole list into an import plan: what would be stored, and every problem, before
anything is written. Duplicates within the file are merged; rows already in the database are
left alone; people are linked by NYSID, else by name and date of birth."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, String, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from casetracker.domain.enums import MotionKind
from casetracker.domain.models import Case, ImportBatch, Motion
from casetracker.importing.bulk_insert import sqlite_has_json
from casetracker.importing.collector import collector_paused
from casetracker.importing.in_lists import in_chunks
from casetracker.importing.locate import locate
from casetracker.importing.mapping import (
    FIELD_LABELS,
    ColumnMapping,
    apply_profile,
    auto_mapping,
)
from casetracker.importing.people import (
    NewPerson,
    PeopleLinker,
    PossibleMatch,
    prepare_linking,
)
from casetracker.importing.reader import ImportFileError, Row, SourceFile
from casetracker.importing.validate import (
    ERROR,
    ChargeInput,
    Identifier,
    ImportRecord,
    Problem,
    RowValidator,
)
from casetracker.normalize.cell import cell_text

Progress = Callable[[int, int, str], None]
_PROGRESS_EVERY = 5000


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
    # Of those, matches with people known only through sealed records, shown without their
    # name to a role that may not see sealed records (accounts.sealed).
    sealed_matches: int = 0


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
    # Links records to people and looks for possible matches; with nothing more to read from
    # the database, so the caller may run it later, on another thread.
    people: PeopleLinker | None = field(default=None, repr=False, compare=False)

    def link_people(self) -> None:
        """Gives every record its person (new_people, person_ref, the counts), if not yet."""
        if self.people is not None:
            self.people.link()

    def find_possible_matches(self) -> None:
        """Links people if not yet, then looks for possible matches, if not yet."""
        if self.people is not None:
            self.people.find_possible_matches()
            # Done with. The linker refers back to the plan: kept, that cycle would hold
            # every record and row in memory until the collector's next full pass.
            self.people = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


# Rows below the header whose values recognise a column its header does not.
SAMPLE_ROWS = 200


def choose_mapping(
    headers: Row, options: ImportOptions, samples: Sequence[Row] = ()
) -> ColumnMapping:
    if options.mapping is not None:
        return options.mapping
    if options.profile is not None:
        return apply_profile(headers, options.profile, samples)
    return auto_mapping(headers, samples)


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
    samples = sheet.rows[header_index + 1 : header_index + 1 + SAMPLE_ROWS]
    mapping = choose_mapping(headers, options, samples)
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
    *,
    people_later: bool = False,
) -> ImportPlan:
    """The whole plan; with people_later, linking people and looking for possible matches
    are left for the caller to run (plan.link_people, plan.find_possible_matches), as an
    import does while SQLite stores rows."""
    with collector_paused():
        plan = _build_plan(session, source, options or ImportOptions(), progress)
        if not people_later:
            plan.find_possible_matches()
        return plan


def _build_plan(
    session: Session,
    source: SourceFile,
    options: ImportOptions,
    progress: Progress | None,
) -> ImportPlan:
    checker = start_plan(session, source, options, progress)
    for _record in checker.records():
        pass
    checker.plan.people = prepare_linking(session, checker.plan)
    return checker.plan


def start_plan(
    session: Session,
    source: SourceFile,
    options: ImportOptions,
    progress: Progress | None,
) -> RowChecker:
    """Finds the data and the case each row names, and which are already on file; the
    checking of the rows (RowChecker.records) is left to the caller."""
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
    entries: list[tuple[int, Row, Identifier | None]] = []
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
    return RowChecker(plan, validator, entries, present, total, progress)


class RowChecker:
    """Pass 2: validates what is new; repeats and cases already on file are only counted."""

    def __init__(
        self,
        plan: ImportPlan,
        validator: RowValidator,
        entries: list[tuple[int, Row, Identifier | None]],
        present: set[str],
        total: int,
        progress: Progress | None,
    ) -> None:
        self.plan = plan
        self.validator = validator
        self.entries = entries
        self.present = present
        self.total = total
        self.progress = progress
        self.checked = 0  # entries looked at so far by records()

    def records(self) -> Iterator[ImportRecord]:
        """Each new record as it is made (also appended to plan.records). A later repeat of
        its case may still add a charge to it; the counts are complete at the end."""
        plan, validator, present = self.plan, self.validator, self.present
        counts, progress, total = plan.counts, self.progress, self.total
        by_key: dict[str, ImportRecord] = {}
        self.checked = 0
        for row_number, row, ident in self.entries:
            self.checked += 1
            if progress is not None and self.checked % _PROGRESS_EVERY == 0:
                progress(total + self.checked, total * 2, "Checking rows")
            key = ident.key if ident is not None else None
            if key is not None:
                existing = by_key.get(key)
                if existing is not None:
                    counts.duplicates += 1
                    _merge_charges(existing, validator.charges_of(row))
                    continue
                if key in present:
                    counts.already_present += 1
                    present.discard(key)
                    by_key[key] = _PRESENT
                    continue
            record = validator.record(row, row_number, ident)
            if record is None:
                counts.errors += 1
                plan.rejected.append((row_number, row))
                continue
            assert key is not None  # a record is only made for a row that names its case
            by_key[key] = record
            plan.records.append(record)
            if record.warnings:
                counts.warnings += 1
            yield record
        plan.problems = validator.problems
        counts.warning_messages = sum(1 for p in plan.problems if p.severity != ERROR)
        counts.valid = len(plan.records)


# Stands in for a case already in the database, so its repeats count as duplicates.
_PRESENT = ImportRecord(0, None, None, None, "", "", "", "", None, None, None, [])


def _merge_charges(record: ImportRecord, charges: list[ChargeInput]) -> None:
    # A case listed once per charge: the repeats add their charges to the one record.
    if record is _PRESENT:
        return
    known = {(c.role, c.section or c.as_typed.upper()) for c in record.charges}
    for charge in charges:
        key = (charge.role, charge.section or charge.as_typed.upper())
        if key not in known:
            known.add(key)
            record.charges.append(charge)


# Built once with expanding IN parameters: SQLAlchemy compiles each a single time, instead of
# coercing every number of every chunk into a literal of a new statement.
_CASES_BY_DOCKET = select(Case.id, Case.docket).where(
    Case.docket.in_(bindparam("numbers", expanding=True))
)
_CASES_BY_SUMMONS = select(Case.id, Case.summons_number).where(
    Case.summons_number.in_(bindparam("numbers", expanding=True)), Case.docket.is_(None)
)
# Answered from the (case_id, kind, import_batch_id) index alone. The kind and the batch are
# compared in Python, not in SQL, so that this index is the one used.
_MOTIONS_OF_CASES = select(Motion.case_id, Motion.kind, Motion.import_batch_id).where(
    Motion.case_id.in_(bindparam("case_ids", expanding=True))
)
_UNDONE_BATCHES = select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))


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
    undone = set(session.scalars(_UNDONE_BATCHES))
    if session.get_bind().dialect.name == "sqlite" and sqlite_has_json(session.connection()):
        return _already_present_sqlite(session, kind, undone, dockets, summonses)
    # Two index lookups per chunk (cases by number, then motions by case), not one join:
    # SQLite would otherwise walk every motion of the kind for every chunk.
    for query, prefix, values in (
        (_CASES_BY_DOCKET, "D:", dockets),
        (_CASES_BY_SUMMONS, "S:", summonses),
    ):
        for chunk in in_chunks(sorted(set(values))):
            keys = {
                case_id: f"{prefix}{number}"
                for case_id, number in session.execute(query, {"numbers": chunk})
            }
            if not keys:
                continue
            motions = session.execute(_MOTIONS_OF_CASES, {"case_ids": list(keys)})
            present.update(
                [
                    keys[case_id]
                    for case_id, found, batch in motions
                    if found == kind and batch not in undone
                ]
            )
    return present


def _already_present_sqlite(
    session: Session, kind: MotionKind, undone: set[int], dockets: list[str], summonses: list[str]
) -> set[str]:
    """One statement per kind of number, the whole list passed as one JSON array: SQLite
    walks it through the case number index into the motion index, with no IN lists to build
    (re-import of 100,000 rows: 0.5 s in chunks, 0.15 s so)."""
    present: set[str] = set()
    for query, prefix, values in (
        (_SQLITE_DOCKETS_ON_FILE, "D:", dockets),
        (_SQLITE_SUMMONSES_ON_FILE, "S:", summonses),
    ):
        if not values:
            continue
        rows = session.execute(query, {"numbers": json.dumps(values)})
        present.update(
            [
                prefix + number
                for number, found, batch in rows
                if found == kind.value and batch not in undone
            ]
        )
    return present


def _sqlite_on_file(column: Any, *where: Any) -> Select[Any]:
    numbers = func.json_each(bindparam("numbers", type_=String)).table_valued("value")
    # The kind as stored, not as an enum: 100,000 conversions saved.
    return (
        select(column, type_coerce(Motion.kind, String), Motion.import_batch_id)
        .select_from(numbers)
        .join(Case, column == numbers.c.value)
        .join(Motion, Motion.case_id == Case.id)
        .where(*where)
    )


_SQLITE_DOCKETS_ON_FILE = _sqlite_on_file(Case.docket)
_SQLITE_SUMMONSES_ON_FILE = _sqlite_on_file(Case.summons_number, Case.docket.is_(None))


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
