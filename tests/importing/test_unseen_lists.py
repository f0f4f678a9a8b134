"""Lists this project has never seen, made here as offices send them: a legacy export with
abbreviated headers, several charges in one cell, conviction lists with dispositions, and
Excel's "Unicode Text"."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from casetracker.domain.enums import ChargeRole, County, DispositionKind
from casetracker.domain.models import Case
from casetracker.importing.mapping import auto_mapping, expand_word, guess_field
from casetracker.storage.db import Database
from tests.importing.test_import import do_import, write_rows


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("CHRG", "charge"),
        ("DEFT LST NM", "last_name"),
        ("DEFT FRST NM", "first_name"),
        ("ARRST DT", "arrest_date"),
        ("WRNT DT", "warrant_date"),
        ("BOROUGH CD", "county"),
        ("DKT NO", "docket"),
        ("SMNS NO", "summons"),
        ("DISP DT", "disposition_date"),
        ("FINAL DISP", "disposition"),
        ("CONV CHRG", "conviction_charge"),
        ("ARR CHRG", "charge"),
        ("CHRG DESC", "charge_description"),
        ("CNTY", "county"),
        ("MID INIT", "middle_name"),
        ("SNTC", "sentence"),
        ("OFNS CD", "charge"),
        ("ST ID NO", "nysid"),
        ("CNTY CD", "county"),
        ("DEFT DOB", "date_of_birth"),
        ("BRTH DT", "date_of_birth"),
        ("WRNT ISS DT", "warrant_date"),
        ("DISPO DT", "disposition_date"),
        ("DEF LNAME", "last_name"),
        ("NYSID NO", "nysid"),
    ],
)
def test_abbreviated_headers_are_read_by_meaning(header: str, field: str) -> None:
    assert guess_field(header) == field


def test_abbreviations_are_matched_by_rule_not_listed() -> None:
    # Each by one of the rules: a prefix, the same consonants, the consonants in order.
    assert expand_word("boro") == "borough"
    assert expand_word("wrnt") == "warrant"
    assert expand_word("dkt") == "docket"
    # Unclear or not an abbreviation: left as written.
    assert expand_word("off") == "off"  # offense or officer
    assert expand_word("zz") == "zz"


def test_a_legacy_export_with_abbreviated_headers_imports(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "legacy.xlsx",
        [
            ["DKT NO", "DEFT LST NM", "DEFT FRST NM", "CHRG", "ARRST DT", "WRNT DT", "BOROUGH CD"],
            ["2016KN000001", "RUIZ", "ANA", "PL 221.05", "1/2/2016", "3/4/2016", "K"],
            ["2016KN000002", "NGO", "ANH", "PL 221.10", "2/2/2016", "4/4/2016", "Q"],
        ],
    )
    outcome = do_import(db, path)
    assert outcome.plan.counts.valid == 2 and outcome.plan.counts.errors == 0
    with db.reading() as session:
        case = session.scalars(select(Case).order_by(Case.docket)).first()
        assert case is not None
        assert case.county is County.KINGS
        assert case.arrest_date is not None and case.warrant_issued_date is not None


def test_several_charges_in_one_cell_are_several_charges(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "multi.xlsx",
        [
            ["Docket", "Last Name", "First Name", "Charges"],
            ["2016KN000001", "Ruiz", "Ana", "PL 221.05; PL 240.20"],
            ["2016KN000002", "Ngo", "Anh", "PL 221.10(1) / VTL 1192.4"],
            ["2016KN000002", "Ngo", "Anh", "PL 221.05"],  # a repeat adds its charge
        ],
    )
    do_import(db, path)
    with db.reading() as session:
        cases = session.scalars(select(Case).order_by(Case.docket)).all()
        assert [c.section for c in cases[0].charges] == ["PL 221.05", "PL 240.20"]
        assert [c.section for c in cases[1].charges] == ["PL 221.10(1)", "VTL 1192(4)", "PL 221.05"]


def test_a_conviction_list_keeps_both_charges_and_the_disposition(
    db: Database, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "convictions.xlsx",
        [
            ["Docket", "Defendant", "Arrest Charge", "Conviction Charge", "Disposition", "Disp Dt"],
            ["2012NY000001", "DOE, JOHN", "PL 221.10", "PL 240.20", "PLED GUILTY", "5/6/2012"],
            ["2012NY000002", "ROE, ANA", "PL 221.05", "", "DISMISSED", "7/8/2012"],
        ],
    )
    mapping = do_import(db, path).plan.mapping
    assert {"charge", "conviction_charge", "disposition", "disposition_date"} <= set(mapping.fields)
    with db.reading() as session:
        first, second = session.scalars(select(Case).order_by(Case.docket)).all()
        assert [(c.section, c.role) for c in first.charges] == [
            ("PL 221.10", ChargeRole.ARREST),
            ("PL 240.20", ChargeRole.CONVICTION),
        ]
        assert first.disposition_kind is DispositionKind.CONVICTED
        assert first.disposition_date is not None
        assert [c.role for c in second.charges] == [ChargeRole.ARREST]
        assert second.disposition_kind is DispositionKind.DISMISSED


def test_unicode_text_imports(db: Database, tmp_path: Path) -> None:
    lines = [
        "Docket No.\tName\tD.O.B.\tCharge",
        "2016KN000001\tPEÑA, JOSÉ\t3/4/1980\tPL 221.05",
        "2016KN000002\tNGO, ANH\t5/6/1985\tPL 221.10",
    ]
    path = tmp_path / "list.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    outcome = do_import(db, path)
    assert outcome.plan.counts.valid == 2
    assert outcome.plan.records[0].last == "Peña"


def test_only_a_conviction_charge_is_enough(tmp_path: Path) -> None:
    mapping = auto_mapping(["Docket", "Name", "Convicted Charge"])
    assert mapping.missing_required() == []


def test_columns_whose_headers_say_nothing_are_recognised_by_their_values(
    db: Database, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "respondents.xlsx",
        [
            ["Matter", "Respondent", "Col C", "State ID", "Offense"],
            ["2016KN000001", "RUIZ, ANA M", "3/4/1980", "12345678A", "PL 221.05"],
            ["2016KN000002", "NGO, ANH", "5/6/1985", "23456789B", "PL 221.10"],
            ["2016KN000003", "DOE, JOHN", "1979-01-02", "", "PL 221.05"],
        ],
    )
    plan = do_import(db, path).plan
    assert plan.mapping.fields["docket"] == 0  # by its values: 'Matter' says nothing
    assert plan.mapping.fields["full_name"] == 1
    assert plan.mapping.fields["date_of_birth"] == 2
    assert plan.counts.valid == 3
    assert plan.records[0].last == "Ruiz" and plan.records[0].first == "Ana"
    shown = plan.mapping.guesses()
    assert any("'Respondent'" in g and "LAST, FIRST" in g for g in shown)
    assert any("'Col C'" in g and "dates of birth" in g for g in shown)


def test_values_of_other_kinds_are_not_taken_for_names_or_dates(tmp_path: Path) -> None:
    mapping = auto_mapping(
        ["Docket", "Last Name", "Charge", "Notes", "Next court date"],
        [
            ["2016KN000001", "Ruiz", "PL 221.05", "called, no answer", "1/2/2025"],
            ["2016KN000002", "Ngo", "PL 221.05", "left message", "2/3/2025"],
            ["2016KN000003", "Doe", "PL 221.05", "", "3/4/2025"],
        ],
    )
    assert "full_name" not in mapping.fields  # a last name column is there already
    assert "date_of_birth" not in mapping.fields  # this year's dates are no birthdays
    assert mapping.guessed == {}


@pytest.mark.parametrize("header", ["Subject", "Respondent", "Party"])
def test_a_single_name_column_under_any_header_is_read_by_its_values(
    db: Database, tmp_path: Path, header: str
) -> None:
    """One name column, headed by a word that says nothing of names, values LAST, FIRST M."""
    path = write_rows(
        tmp_path / "subjects.xlsx",
        [
            ["Docket No.", header, "D.O.B.", "Charge"],
            ["2016KN000001", "RUIZ, ANA M", "3/4/1980", "PL 221.05"],
            ["2016KN000002", "NGO, ANH", "5/6/1985", "PL 221.10"],
            ["2016KN000003", "O'BRIEN-SMITH, MARY K", "7/8/1979", "PL 221.05"],
        ],
    )
    outcome = do_import(db, path)
    assert outcome.plan.counts.valid == 3 and outcome.plan.counts.errors == 0
    assert outcome.plan.mapping.fields["full_name"] == 1
    assert any(f"'{header}'" in guess for guess in outcome.plan.mapping.guesses())
    first = outcome.plan.records[0]
    assert (first.last, first.first, first.middle) == ("Ruiz", "Ana", "M")
    assert outcome.plan.records[2].last == "O'Brien-Smith"


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_excel_unicode_text_saved_under_either_name_imports(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    """Excel's "Unicode Text": UTF-16 little-endian with its byte order mark, tab-separated,
    CRLF; people rename it .csv as often as not."""
    lines = [
        "DKT NO\tDEFT LST NM\tDEFT FRST NM\tCHRG\tWRNT DT\tBOROUGH CD",
        "2016KN000001\tPEÑA\tJOSÉ\tPL 221.05\t3/4/2016\tK",
        "2016KN000002\tNGO\tANH\tPL 221.10; PL 240.20\t5/6/2016\tQ",
    ]
    path = tmp_path / f"unicode{suffix}"
    path.write_bytes(b"\xff\xfe" + "\r\n".join([*lines, ""]).encode("utf-16-le"))
    outcome = do_import(db, path)
    assert outcome.plan.counts.valid == 2 and outcome.plan.counts.errors == 0
    with db.reading() as session:
        first, second = session.scalars(select(Case).order_by(Case.docket)).all()
        assert first.county is County.KINGS and second.county is County.QUEENS
        assert [c.section for c in second.charges] == ["PL 221.10", "PL 240.20"]
    assert outcome.plan.records[0].last == "Peña" and outcome.plan.records[0].first == "José"
