"""The rows an import stores, table by table, as plain tuples; or, for rows made from rows
just stored (motions from cases, history from motions), as the columns of one INSERT ...
SELECT. Nothing here runs against a database.

Shared by the two ways an import is written: all at once after the whole list was checked,
and a chunk at a time while the rest is still being checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import String, Table, cast, literal

from casetracker.domain.clock import today, utcnow
from casetracker.domain.enums import IntakeChannel, MotionKind, WarrantStatus
from casetracker.domain.models import Case, Charge, ImportBatch, Motion, MotionEvent, Person
from casetracker.domain.new_motion import first_event, motion_columns
from casetracker.importing.bulk_insert import Copied, TableRows
from casetracker.importing.people import NewPerson
from casetracker.importing.plan import ImportPlan
from casetracker.importing.validate import ImportRecord
from casetracker.normalize.disposition import classify_disposition


class IsoDates(dict[date, str]):
    """Each date's ISO text, made once: a list repeats its dates, and text goes into JSON
    (SQLite) and COPY (PostgreSQL) as it is, where a date costs a call back per value."""

    def __missing__(self, key: date) -> str:
        text = self[key] = key.isoformat()
        return text


def table(model: type[Any]) -> Table:
    found: Table = model.__table__
    return found


class ImportRows:
    """Builds each table's rows for one import; the values common to all rows made once."""

    def __init__(self, plan: ImportPlan, batch: ImportBatch) -> None:
        self.plan = plan
        self.batch = batch
        self.now: datetime = utcnow()
        self.today = today()
        self.reason = f"Imported from {plan.file_name}, sheet {plan.sheet} (batch {batch.id}), row "
        self.iso = IsoDates()

    def people(self, ids: Sequence[int], people: Sequence[NewPerson]) -> TableRows:
        iso = self.iso
        return TableRows(
            table(Person),
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
                    iso[p.date_of_birth] if p.date_of_birth is not None else None,
                    p.nysid,
                    p.nysid_as_typed,
                    p.address,
                    p.phone,
                )
                for pid, p in zip(ids, people, strict=True)
            ],
            {
                "aliases": [],
                "email": None,
                "language": None,
                "interpreter_needed": False,
                "consent_to_contact": False,
                "created_at": self.now,
                "version": 1,
            },
            "Saving people",
        )

    def cases(
        self, ids: Sequence[int], records: Sequence[ImportRecord], person_ids: Sequence[int]
    ) -> TableRows:
        """A record's reference to a new person (-1 - index) becomes that person's id here
        only: the record keeps it, as the search for possible matches (which may run on
        another thread meanwhile) reads it to know a new person's rows."""
        rows: list[tuple[Any, ...]] = []
        iso = self.iso
        for case_id, r in zip(ids, records, strict=True):
            ref = r.person_ref
            rows.append(
                (
                    case_id,
                    person_ids[-1 - ref] if ref < 0 else ref,
                    r.docket_as_typed[:60] if r.docket_as_typed else None,
                    r.docket[:40] if r.docket else None,
                    r.summons[:40] if r.summons else None,
                    r.county.value if r.county else None,
                    r.court_part,
                    iso[r.arrest_date] if r.arrest_date is not None else None,
                    r.disposition,
                    _disposition_kind(r.disposition),
                    iso[r.disposition_date] if r.disposition_date is not None else None,
                    r.sentence,
                    iso[r.warrant_date] if r.warrant_date is not None else None,
                    r.row,
                )
            )
        warrant = self.plan.kind is MotionKind.WARRANT_DISMISSAL
        return TableRows(
            table(Case),
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
                "disposition_kind",
                "disposition_date",
                "sentence",
                "warrant_issued_date",
                "import_row",
            ),
            rows,
            {
                "warrant_status": WarrantStatus.OPEN if warrant else WarrantStatus.NONE,
                "record_source": f"import: {self.plan.file_name}"[:200],
                "smoking_while_driving": False,
                "import_batch_id": self.batch.id,
                "created_at": self.now,
                "court": None,
                "defense_counsel": None,
                "version": 1,
            },
            "Saving cases",
        )

    def charges(
        self,
        ids: Sequence[int],
        records: Sequence[ImportRecord],
        case_ids: Sequence[int],
        stored: Sequence[int] | None = None,
    ) -> TableRows:
        """stored: how many of each record's charges are in already (its other charges came
        from a later repeat of its case); by default none."""
        rows: list[tuple[Any, ...]] = []
        charge_id = iter(ids)
        skips = stored if stored is not None else repeat(0, len(records))
        for case_id, r, skip in zip(case_ids, records, skips, strict=True):
            for position, c in enumerate(r.charges[skip:] if skip else r.charges, skip):
                rows.append(
                    (
                        next(charge_id),
                        case_id,
                        position,
                        c.section,
                        c.as_typed,
                        c.charge_class,
                        c.description[:200] if c.description else None,
                        c.role,
                    )
                )
        return TableRows(
            table(Charge),
            (
                "id",
                "case_id",
                "position",
                "section",
                "as_typed",
                "charge_class",
                "description",
                "role",
            ),
            rows,
            {},
            "Saving charges",
        )

    def motions(
        self,
        ids: Sequence[int],
        records: Sequence[ImportRecord],
        case_ids: Sequence[int],
        person_ids: Sequence[int],
    ) -> TableRows:
        return TableRows(
            table(Motion),
            ("id", "person_id", "case_id", "import_row"),
            [
                (
                    motion_id,
                    person_ids[-1 - r.person_ref] if r.person_ref < 0 else r.person_ref,
                    case_id,
                    r.row,
                )
                for motion_id, case_id, r in zip(ids, case_ids, records, strict=True)
            ],
            self._motion_constants(),
            "Saving motions",
        )

    def motions_of_cases(self, ids: range, case_ids: range) -> Copied:
        """The motions of the cases just stored with case_ids, made from those rows."""
        cases = table(Case)
        made = {
            "person_id": cases.c.person_id,
            "case_id": cases.c.id,
            "import_row": cases.c.import_row,
        }
        return Copied(
            table(Motion), ids, cases, case_ids, made, self._motion_constants(), "Saving motions"
        )

    def _motion_constants(self) -> dict[str, Any]:
        return motion_columns(
            self.plan.kind,
            at=self.now,
            intake_date=self.today,
            channel=IntakeChannel.IMPORT,
            import_batch_id=self.batch.id,
        )

    def events(
        self, ids: Sequence[int], records: Sequence[ImportRecord], motion_ids: Sequence[int]
    ) -> TableRows:
        reason = self.reason
        return TableRows(
            table(MotionEvent),
            ("id", "motion_id", "reason"),
            [
                (event_id, motion_id, f"{reason}{r.row}")
                for event_id, motion_id, r in zip(ids, motion_ids, records, strict=True)
            ],
            self._event_constants(),
            "Saving history",
        )

    def events_of_motions(self, ids: range, motion_ids: range) -> Copied:
        """The history of the motions just stored with motion_ids, made from those rows."""
        motions = table(Motion)
        # The reason is a bound value, not SQL: it holds the file's name.
        reason = literal(self.reason, String) + cast(motions.c.import_row, String)
        made = {"motion_id": motions.c.id, "reason": reason}
        return Copied(
            table(MotionEvent),
            ids,
            motions,
            motion_ids,
            made,
            self._event_constants(),
            "Saving history",
        )

    def _event_constants(self) -> dict[str, Any]:
        # The reason is each row's own (it names the row).
        constants = first_event(
            at=self.now, user=self.batch.imported_by, action="import", reason=""
        )
        del constants["reason"]
        return constants


def _disposition_kind(written: str | None) -> str | None:
    kind = classify_disposition(written).value if written else None
    return kind.value if kind is not None else None
