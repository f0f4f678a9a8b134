from __future__ import annotations

import pytest

from casetracker.importing.mapping import auto_mapping, guess_field

SPELLINGS = [
    ("Docket No.", "docket"),
    ("DOCKET #", "docket"),
    ("Docket Number", "docket"),
    ("Summons No.", "summons"),
    ("SUMMONS NUMBER", "summons"),
    ("Summons/Docket Number", "docket_or_summons"),
    ("DOB", "date_of_birth"),
    ("D.O.B.", "date_of_birth"),
    ("Date of Birth", "date_of_birth"),
    ("Birth Date", "date_of_birth"),
    ("NYSID", "nysid"),
    ("NYSID #", "nysid"),
    ("NYS ID", "nysid"),
    ("N.Y.S.I.D.", "nysid"),
    ("Charge", "charge"),
    ("Top Charge", "charge"),
    ("Law Section", "charge"),
    ("Offense", "charge"),
    ("Charge Description", "charge_description"),
    ("Offense Desc", "charge_description"),
    ("Last Name", "last_name"),
    ("SURNAME", "last_name"),
    ("First Name", "first_name"),
    ("M.I.", "middle_name"),
    ("Name", "full_name"),
    ("Defendant Name", "full_name"),
    ("Name (Last, First)", "full_name"),
    ("Arrest Date", "arrest_date"),
    ("Arrest Dt", "arrest_date"),
    ("Warrant Issued Date", "warrant_date"),
    ("Date Warrant Ordered", "warrant_date"),
    ("Borough", "county"),
    ("BORO", "county"),
    ("County", "county"),
    ("Court Part", "court_part"),
    ("Disposition Date", "disposition_date"),
    ("Precinct", None),
    ("Notes", None),
]


@pytest.mark.parametrize(("header", "field"), SPELLINGS)
def test_common_header_spellings_are_recognised(header: str, field: str | None) -> None:
    assert guess_field(header) == field


def test_missing_required_fields_are_named() -> None:
    mapping = auto_mapping(["Docket No.", "Borough", "Notes"])
    assert mapping.missing_required() == [
        "last name (or a LAST, FIRST name column)",
        "charge",
    ]
    assert mapping.unmapped_columns() == ["Notes"]
