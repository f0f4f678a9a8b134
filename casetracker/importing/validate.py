"""One spreadsheet row -> an ImportRecord, with every problem found in it, not just the first.

An error means the row cannot be imported; a warning means it is imported but a value was
doubtful or left out. Values that recur (dates, charges, boroughs, names) are read once.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from casetracker.domain.enums import County
from casetracker.importing.mapping import FIELD_LABELS, ColumnMapping
from casetracker.importing.names import NameParts, NameReader
from casetracker.importing.reader import Row
from casetracker.normalize import (
    charge_class,
    describe,
    normalize_charges,
    normalize_date,
    normalize_docket,
    normalize_nysid,
    normalize_summons,
)
from casetracker.normalize.cell import cell_text
from casetracker.normalize.dates import common_date

ERROR = "error"
WARNING = "warning"

_TOTALS = re.compile(
    r"^\s*(grand\s+|sub\s*-?\s*)?(totals?|count|record\s+count|total\s+(cases|records|rows))"
    r"\b\s*:?",
    re.IGNORECASE,
)
_CANONICAL_DOCKET = re.compile(r"(?:19|20)\d{2}[A-Z]{2}\d{6}", re.ASCII)
_EARLIEST = date(1900, 1, 1)
_CANONICAL_NYSID = re.compile(r"\d{8}[A-Z]", re.ASCII)
_TEXT_LIMITS = [
    ("court_part", 40),
    ("disposition", 200),
    ("sentence", 200),
    ("address", 2000),
    ("phone", 40),
]


@dataclass(frozen=True)
class Problem:
    severity: str
    sheet: str
    row: int  # the row number the user sees in their spreadsheet program
    column: str  # "B (Last Name)", or "" for the row as a whole
    value: str
    problem: str
    fix: str


@dataclass(frozen=True)
class ChargeInput:
    section: str | None
    as_typed: str
    charge_class: str | None
    description: str | None
    role: str = "arrest"  # ChargeRole's value: what the case was brought on, or ended in


@dataclass(slots=True)
class ImportRecord:
    row: int
    docket_as_typed: str | None
    docket: str | None
    summons: str | None
    last: str
    first: str
    middle: str
    name_key: str
    date_of_birth: date | None
    nysid: str | None  # well-formed: used to link people
    nysid_as_typed: str | None
    charges: list[ChargeInput]
    county: County | None = None
    court_part: str | None = None
    arrest_date: date | None = None
    warrant_date: date | None = None
    disposition: str | None = None
    disposition_date: date | None = None
    sentence: str | None = None
    address: str | None = None
    phone: str | None = None
    warnings: int = 0
    # Filled in by the plan: a new person (negative: -1 - index of new people) or an id.
    person_ref: int = 0

    @property
    def reference(self) -> str:
        return self.docket or self.summons or ""


@dataclass(slots=True)
class Identifier:
    key: str  # what makes two rows the same case: "D:<docket>" or "S:<summons>"
    docket_as_typed: str | None
    docket: str | None
    summons: str | None
    warnings: list[tuple[int, str, str]]


class RowValidator:
    def __init__(self, mapping: ColumnMapping, sheet: str, first_column: int) -> None:
        self.mapping = mapping
        self.sheet = sheet
        self.first_column = first_column
        self.problems: list[Problem] = []
        self.names = NameReader()
        self._dates: dict[object, tuple[date | None, str | None]] = {}
        self._charges: dict[tuple[object, str], tuple[list[ChargeInput], list[str]]] = {}
        self._counties: dict[str, County | None] = {}
        self._col = {key: mapping.fields[key] for key in mapping.fields}
        # All the mapped cells of a row are taken in one call; a row too short for that (a
        # ragged CSV line) is read cell by cell.
        self._keys = tuple(self._col)
        indices = tuple(self._col.values())
        self._width = max(indices, default=-1) + 1
        self._pick = itemgetter(*indices) if len(indices) > 1 else None
        self._today = date.today()
        self._latest = self._today + timedelta(days=365)
        self._header_keys = [" ".join(h.lower().split()) for h in mapping.headers]
        # Fields the list lacks are not looked for on every row.
        self._mapped_dates = tuple(
            key in self._col
            for key in ("date_of_birth", "arrest_date", "warrant_date", "disposition_date")
        )
        self._one_name_column = "full_name" in self._col and "last_name" not in self._col
        # The plain text fields the list has, with their lengths: the others stay None.
        self._texts = [(key, limit) for key, limit in _TEXT_LIMITS if key in self._col]
        # Where the three fields that name a case are; past any row's end when not mapped.
        self._identifier_columns = tuple(
            self._col.get(key, 1 << 30) for key in ("docket_or_summons", "docket", "summons")
        )

    # --- what kind of row ---------------------------------------------------------------

    def skip_reason(self, row: Row) -> str | None:
        """'blank', 'total' or 'header' for rows that are counted as skipped, not errors."""
        first = row[0] if row else None
        # Nearly every row is data: text in its first cell (so not blank) and more than three
        # cells filled (so no totals line). Those need no list of their filled cells.
        if (
            first.__class__ is str
            and first.strip()
            and len(row) - row.count("") - row.count(None) > 3
            and (not self._header_keys or " ".join(first.lower().split()) != self._header_keys[0])
        ):
            return None
        return self.classify(row)

    def classify(self, row: Row) -> str | None:
        """skip_reason() for any row, from the list of its filled cells."""
        filled = [c for c in row if c != "" and c is not None]
        for cell in filled:
            if cell.__class__ is not str or cell.strip():
                break
        else:
            return "blank"  # nothing, or only spaces
        if len(filled) <= 3:
            for cell in filled[:2]:
                if isinstance(cell, str) and _TOTALS.match(cell):
                    return "total"
        first = row[0] if row else None
        if (
            len(filled) >= 3
            and isinstance(first, str)
            and self._header_keys
            and " ".join(first.lower().split()) == self._header_keys[0]
            and [" ".join(cell_text(c).lower().split()) for c in row[: len(self._header_keys)]]
            == self._header_keys[: len(row)]
        ):
            return "header"  # the header repeated, as page-by-page exports do
        return None

    # --- the case identifier --------------------------------------------------------------

    def cell(self, row: Row, key: str) -> Any:
        index = self._col.get(key)
        if index is None or index >= len(row):
            return None
        return row[index]

    def cells(self, row: Row) -> dict[str, Any]:
        """The row's mapped cells by field key; unmapped fields and cells past the row's end
        are left out, so .get() gives None for them as cell() does."""
        if self._pick is not None and len(row) >= self._width:
            return dict(zip(self._keys, self._pick(row), strict=True))
        return {key: row[index] for key, index in self._col.items() if index < len(row)}

    def identifier(self, row: Row) -> Identifier | None:
        # Runs on every row, repeats and rows on file too: three cells, no dict of them all.
        width = len(row)
        at = self._identifier_columns
        warnings: list[tuple[int, str, str]] = []
        docket_typed: str | None = None
        docket: str | None = None
        summons: str | None = None
        combined = row[at[0]] if at[0] < width else None
        if combined is not None and combined != "":
            summons = _plain_summons(combined)
            if summons is None:
                docket_typed, docket = self._docket(combined, "docket_or_summons", warnings)
        raw_docket = row[at[1]] if at[1] < width else None
        if raw_docket is not None and raw_docket != "":
            typed, value = self._docket(raw_docket, "docket", warnings)
            if value:
                docket_typed, docket = typed, value
        raw_summons = row[at[2]] if at[2] < width else None
        if raw_summons is not None and raw_summons != "":
            parsed = normalize_summons(raw_summons)
            if parsed.warning:
                warnings.append((self._col["summons"], parsed.as_typed, parsed.warning))
            summons = parsed.value or summons
        if docket:
            return Identifier("D:" + docket, docket_typed, docket, summons, warnings)
        if summons:
            return Identifier("S:" + summons, None, None, summons, warnings)
        return None

    def _docket(
        self, raw: object, key: str, warnings: list[tuple[int, str, str]]
    ) -> tuple[str | None, str | None]:
        """(as typed, normalized) docket; a doubtful one adds its warning."""
        typed = cell_text(raw)
        if _CANONICAL_DOCKET.fullmatch(typed):
            return typed, typed
        parsed = normalize_docket(raw)
        if parsed.warning:
            warnings.append((self._col[key], typed, parsed.warning))
        return (typed, parsed.value) if parsed.value else (None, None)

    # --- the whole row --------------------------------------------------------------------

    def record(self, row: Row, row_number: int, ident: Identifier | None) -> ImportRecord | None:
        """The record, or None when the row has errors (all of them are added to problems)."""
        cells = self.cells(row)
        errors: list[Problem] = []
        warnings: list[Problem] = []
        if ident is None:
            column = self._first_of("docket_or_summons", "docket", "summons")
            errors.append(
                self._problem(
                    ERROR,
                    row_number,
                    column,
                    cells.get(self.mapping_key(column)),
                    "No docket or summons number.",
                    "Fill in the docket or summons number from the court record.",
                )
            )
        else:
            for column, typed, text in ident.warnings:
                warnings.append(
                    self._problem(
                        WARNING, row_number, column, typed, text, "Check the number; correct it."
                    )
                )

        name, key, name_warning = self._name(cells)
        if name is None or not name[0]:
            column = self._first_of("full_name", "last_name")
            errors.append(
                self._problem(
                    ERROR,
                    row_number,
                    column,
                    cells.get(self.mapping_key(column)),
                    "No last name.",
                    "Fill in the person's last name.",
                )
            )
        elif name_warning:
            column = self._first_of("full_name", "last_name")
            warnings.append(
                self._problem(
                    WARNING,
                    row_number,
                    column,
                    cells.get(self.mapping_key(column)),
                    name_warning,
                    "Check the name; write it as LAST, FIRST or in separate columns.",
                )
            )

        raw_charge = cells.get("charge")
        charges, charge_warnings = self._charges_in(raw_charge, "arrest")
        raw_conviction = cells.get("conviction_charge")
        convictions, conviction_warnings = self._charges_in(raw_conviction, "conviction")
        if not charges and not convictions:
            errors.append(
                self._problem(
                    ERROR,
                    row_number,
                    self._first_of("charge", "conviction_charge"),
                    raw_charge,
                    "No charge.",
                    "Fill in the charge (law section, for example PL 221.05).",
                )
            )
        for field_key, raw, texts in (
            ("charge", raw_charge, charge_warnings),
            ("conviction_charge", raw_conviction, conviction_warnings),
        ):
            for text in texts:
                warnings.append(
                    self._problem(
                        WARNING,
                        row_number,
                        self._col[field_key],
                        raw,
                        text,
                        "Write the law section, for example PL 221.05.",
                    )
                )
        if len(charges) == 1 and charges[0].description is None:
            text = cell_text(cells.get("charge_description"))
            if text:
                only = charges[0]
                charges = [ChargeInput(only.section, only.as_typed, only.charge_class, text)]
        charge = [*charges, *convictions]

        dates = self._mapped_dates
        dob = self._date(cells, row_number, "date_of_birth", warnings) if dates[0] else None
        arrest = self._date(cells, row_number, "arrest_date", warnings) if dates[1] else None
        warrant = self._date(cells, row_number, "warrant_date", warnings) if dates[2] else None
        disposition_date = (
            self._date(cells, row_number, "disposition_date", warnings) if dates[3] else None
        )
        nysid, nysid_typed = self._nysid(cells, row_number, warnings)
        county = self._county(cells, row_number, warnings)

        if errors:
            self.problems.extend(errors)
            self.problems.extend(warnings)
            return None
        self.problems.extend(warnings)
        assert ident is not None and name is not None and charge
        # In field order, by position: a third of the cost of naming each of 22 arguments,
        # on every row of the list.
        record = ImportRecord(
            row_number,  # row
            ident.docket_as_typed,
            ident.docket,
            ident.summons,
            name[0],  # last
            name[1],  # first
            name[2],  # middle
            key,  # name_key
            dob,
            nysid,
            nysid_typed,
            charge,  # charges
            county,
            None,  # court_part, and the other plain text fields, below
            arrest,
            warrant,
            None,  # disposition
            disposition_date,
            None,  # sentence
            None,  # address
            None,  # phone
            len(warnings),
        )
        for field_key, limit in self._texts:
            setattr(record, field_key, self._text(cells, field_key, limit))
        return record

    def charges_of(self, row: Row) -> list[ChargeInput]:
        """The charges a repeat of a case adds to it (checked no further)."""
        return [
            *self._charges_in(self.cell(row, "charge"), "arrest")[0],
            *self._charges_in(self.cell(row, "conviction_charge"), "conviction")[0],
        ]

    # --- the parts ------------------------------------------------------------------------

    def _name(self, cells: dict[str, Any]) -> tuple[NameParts | None, str, str | None]:
        """(last, first, middle) or None when there is no last name, key, warning."""
        if self._one_name_column:
            text = cell_text(cells.get("full_name"))
            if not text:
                return None, "", None
            return self.names.full(text)
        last = cell_text(cells.get("last_name"))
        if not last or not any(ch.isalpha() for ch in last):
            return None, "", None
        first = cell_text(cells.get("first_name"))
        middle = cell_text(cells.get("middle_name"))
        name, key = self.names.split(last, first, middle)
        warning = None if first else f"Name '{last}' has no first name"
        return name, key, warning

    def _charges_in(self, raw: object, role: str) -> tuple[list[ChargeInput], list[str]]:
        """Every charge in a cell ("PL 221.10; PL 240.20" is two), and the warnings."""
        if raw is None or raw == "":
            return [], []
        try:
            found = self._charges.get((raw, role))
        except TypeError:
            found = None
        if found is None:
            charges: list[ChargeInput] = []
            warnings: list[str] = []
            for parsed in normalize_charges(raw):
                typed = parsed.as_typed[:200]
                if not typed:
                    continue
                code = parsed.value
                if code is None:
                    charges.append(ChargeInput(None, typed, None, None, role))
                    warnings.append(
                        f"Charge '{typed}' has no law section that could be read; kept as typed"
                    )
                    continue
                charges.append(
                    ChargeInput(code.display, typed, charge_class(code), describe(code), role)
                )
                if parsed.warning:
                    warnings.append(parsed.warning)
            found = (charges, warnings)
            with contextlib.suppress(TypeError):
                self._charges[(raw, role)] = found
        return found

    def _date(
        self, cells: dict[str, Any], row_number: int, key: str, warnings: list[Problem]
    ) -> date | None:
        raw = cells.get(key)
        if raw.__class__ is date and _EARLIEST <= raw <= self._latest:  # a real date cell
            return raw
        if raw is None or raw == "":
            return None
        # Text is its own key; other values carry their type, as 1 == 1.0 == True.
        cache_key = raw if raw.__class__ is str else (type(raw), raw)
        found = self._dates.get(cache_key)
        if found is None:
            found = self._plain_date(raw)
            if found is None:
                parsed = normalize_date(raw)
                found = (parsed.value, parsed.warning)
            self._dates[cache_key] = found
        if found[1]:
            warnings.append(
                self._problem(
                    WARNING,
                    row_number,
                    self._col[key],
                    raw,
                    f"{FIELD_LABELS[key]}: {found[1]}",
                    "Write the date as MM/DD/YYYY or YYYY-MM-DD.",
                )
            )
        return found[0]

    def _plain_date(self, raw: object) -> tuple[date | None, str | None] | None:
        """The forms most lists use, read without the general parser; None when the value
        is anything else (or out of range), so the normalizer decides and explains."""
        value = common_date(raw, self._today)
        if value is None:
            return None
        return (value, None) if _EARLIEST <= value <= self._latest else None

    def _nysid(
        self, cells: dict[str, Any], row_number: int, warnings: list[Problem]
    ) -> tuple[str | None, str | None]:
        raw = cells.get("nysid")
        if raw is None or raw == "":
            return None, None
        if isinstance(raw, str) and _CANONICAL_NYSID.fullmatch(raw):
            return raw, raw
        parsed = normalize_nysid(raw)
        typed = parsed.as_typed[:40] or None
        if parsed.warning:
            warnings.append(
                self._problem(
                    WARNING,
                    row_number,
                    self._col["nysid"],
                    raw,
                    parsed.warning.replace("kept as typed", "kept as typed, not used to match"),
                    "Check the NYSID (8 digits and a letter, for example 12345678A).",
                )
            )
            return None, typed
        return parsed.value, typed

    def _county(
        self, cells: dict[str, Any], row_number: int, warnings: list[Problem]
    ) -> County | None:
        raw = cells.get("county")
        text = cell_text(raw)
        if not text:
            return None
        if text not in self._counties:
            self._counties[text] = County.from_text(text)
        county = self._counties[text]
        if county is None:
            warnings.append(
                self._problem(
                    WARNING,
                    row_number,
                    self._col["county"],
                    raw,
                    f"County '{text}' is not a New York City county or borough; left empty",
                    "Write the borough or county (Brooklyn, Kings, K, ...).",
                )
            )
        return county

    def _text(self, cells: dict[str, Any], key: str, limit: int) -> str | None:
        raw = cells.get(key)
        if raw is None:
            return None
        text = cell_text(raw)
        return text[:limit] if text else None

    # --- problems -------------------------------------------------------------------------

    def _first_of(self, *keys: str) -> int | None:
        for key in keys:
            if key in self._col:
                return self._col[key]
        return None

    def mapping_key(self, column: int | None) -> str:
        for key, index in self._col.items():
            if index == column:
                return key
        return ""

    def column_label(self, column: int | None) -> str:
        if column is None:
            return ""
        header = self.mapping.headers[column] if column < len(self.mapping.headers) else ""
        letter = column_letter(self.first_column + column)
        return f"{letter} ({header})" if header else letter

    def _problem(
        self,
        severity: str,
        row_number: int,
        column: int | None,
        value: object,
        problem: str,
        fix: str,
    ) -> Problem:
        return Problem(
            severity,
            self.sheet,
            row_number,
            self.column_label(column),
            cell_text(value)[:500],
            problem,
            fix,
        )


def _plain_summons(raw: object) -> str | None:
    """In a combined docket/summons column: a clean summons number that is no docket."""
    if _CANONICAL_DOCKET.fullmatch(cell_text(raw)) or not normalize_docket(raw).warning:
        return None
    summons = normalize_summons(raw)
    return summons.value if summons.value and not summons.warning else None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
