"""Sealed records: a granted motion's person is seen by name only by roles with the sealed
records permission; others see how many were left out. The defender list never carries the
contact details of someone who did not agree to be contacted."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from casetracker.accounts.sealed import hides_sealed
from casetracker.domain.enums import CourtOutcome
from casetracker.domain.models import Motion, Person
from casetracker.operations import Actor
from casetracker.storage.db import open_database
from tests.accounts.conftest import PASSWORD, USERS


def _sealed(office: str) -> tuple[int, set[str]]:
    db = open_database(office)
    try:
        with db.reading() as session:
            count = session.scalar(
                select(func.count(Motion.id)).where(Motion.outcome == CourtOutcome.GRANTED)
            )
            names = set(
                session.scalars(
                    select(Person.last_name)
                    .join(Motion, Motion.person_id == Person.id)
                    .where(Motion.outcome == CourtOutcome.GRANTED)
                )
            )
    finally:
        db.dispose()
    assert count
    return int(count or 0), names


def test_the_motions_list_leaves_sealed_motions_out_for_other_roles(cli: Any, office: str) -> None:
    sealed, _ = _sealed(office)
    seen = cli(
        "motions", "--json", "--db", office, "--user", USERS["supervisor"], password=PASSWORD
    )
    hidden = cli("motions", "--json", "--db", office, "--user", USERS["intake"], password=PASSWORD)
    assert seen.code == 0 and hidden.code == 0
    assert len(json.loads(seen.out)) - len(json.loads(hidden.out)) == sealed
    assert f"{sealed:,} sealed records not listed by name" in hidden.err
    assert "sealed" not in seen.err


def test_the_table_export_leaves_sealed_names_out_for_a_manager(
    cli: Any, office: str, tmp_path: Path
) -> None:
    sealed, _ = _sealed(office)
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    assert (
        cli(
            "report",
            "table",
            "--out",
            str(full),
            "--db",
            office,
            "--user",
            USERS["supervisor"],
            password=PASSWORD,
        ).code
        == 0
    )
    result = cli(
        "report",
        "table",
        "--out",
        str(partial),
        "--db",
        office,
        "--user",
        USERS["manager"],
        password=PASSWORD,
    )
    assert result.code == 0
    rows = {
        r["Motion"] if "Motion" in r else next(iter(r.values()))
        for r in csv.DictReader(partial.open(encoding="utf-8-sig"))
    }
    all_rows = list(csv.DictReader(full.open(encoding="utf-8-sig")))
    assert len(all_rows) - len(rows) == sealed
    assert "sealed records not listed" in result.err


def test_the_defender_list_is_counts_only_for_a_manager(
    cli: Any, office: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    sealed, names = _sealed(office)
    out = tmp_path / "defenders.xlsx"
    result = cli(
        "report",
        "defenders",
        "--out",
        str(out),
        "--db",
        office,
        "--user",
        USERS["manager"],
        password=PASSWORD,
    )
    assert result.code == 0, result.err
    assert f"{sealed:,} sealed records" in result.err
    text = " ".join(
        str(cell)
        for row in load_workbook(out).active.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert not any(f"{name}," in text for name in names)


def test_the_defender_list_leaves_out_contact_details_without_consent(office: str) -> None:
    from casetracker.reports.defenders import load_defender_list

    db = open_database(office)
    try:
        with db.unit_of_work() as session:
            # A granted person with a phone who did not agree to be contacted.
            person = session.scalars(
                select(Person)
                .join(Motion, Motion.person_id == Person.id)
                .where(
                    Motion.outcome == CourtOutcome.GRANTED, Motion.notification_outcome.is_(None)
                )
            ).first()
            assert person is not None
            person.phone, person.consent_to_contact = "555-0100", False
            person_id = person.id
        with db.reading() as session:
            lines = load_defender_list(session)
            owners = {m.id: m.person_id for m in session.scalars(select(Motion))}
    finally:
        db.dispose()
    mine = [line for line in lines if owners[line.motion_id] == person_id]
    assert mine
    for line in mine:
        assert (line.phone, line.address, line.email) == (None, None, None)
        assert "No consent" in line.contact_status
    for line in lines:
        if not line.consent_to_contact:
            assert (line.phone, line.address, line.email) == (None, None, None)


def test_hides_sealed_for_the_report_helper(office: str) -> None:
    db = open_database(office)
    try:
        with db.reading() as session:
            assert hides_sealed(USERS["manager"], session)
            assert hides_sealed(USERS["intake"], session)
            assert not hides_sealed(USERS["supervisor"], session)
            assert not hides_sealed(USERS["administrator"], session)
    finally:
        db.dispose()
    assert hides_sealed(Actor("x", "prosecutor"))
    assert not hides_sealed(Actor("x", "supervisor"))
    assert not hides_sealed(Actor("x"))  # no role: a single-user database


def test_searches_and_exports_are_in_the_audit_log(cli: Any, office: str, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    cli(
        "motions",
        "--stage",
        "granted",
        "--db",
        office,
        "--user",
        USERS["manager"],
        password=PASSWORD,
    )
    cli(
        "report",
        "table",
        "--out",
        str(out),
        "--db",
        office,
        "--user",
        USERS["manager"],
        password=PASSWORD,
    )
    log = cli(
        "audit",
        "log",
        "--json",
        "--for",
        USERS["manager"],
        "--db",
        office,
        "--user",
        USERS["administrator"],
        password=PASSWORD,
    )
    assert log.code == 0, log.err
    entries = json.loads(log.out)
    export = next(e for e in entries if e["action"] == "export")
    assert export["target"] == "motions table"
    assert export["detail"]["file"] == str(out) and export["detail"]["rows"] >= 0
    search = next(e for e in entries if e["action"] == "search")
    assert search["detail"]["filters"] == {"stage": ["granted"]}
    assert {e["action"] for e in entries} >= {"command run", "search", "export"}


def test_a_court_list_leaves_sealed_motions_out_for_a_manager(
    cli: Any, office: str, tmp_path: Path
) -> None:
    from casetracker.domain.models import CourtList

    db = open_database(office)
    try:
        with db.reading() as session:
            found = session.execute(
                select(CourtList.court_date, CourtList.part, func.count(Motion.id))
                .join(Motion, Motion.court_list_id == CourtList.id)
                .where(Motion.outcome == CourtOutcome.GRANTED)
                .group_by(CourtList.id, CourtList.court_date, CourtList.part)
            ).first()
    finally:
        db.dispose()
    assert found is not None
    day, part, sealed = found
    args = ("report", "court-list", "--date", day.isoformat(), "--part", part, "--db", office)
    full = cli(
        *args, "--out", str(tmp_path / "a.xlsx"), "--user", USERS["supervisor"], password=PASSWORD
    )
    partial = cli(
        *args, "--out", str(tmp_path / "b.xlsx"), "--user", USERS["manager"], password=PASSWORD
    )
    assert full.code == 0 and partial.code == 0, (full.err, partial.err)

    def written(out: str) -> int:
        return int(out.split(": ")[-1].split(" motions")[0].replace(",", ""))

    assert written(full.out) - written(partial.out) == sealed
    assert f"{sealed:,} sealed record" in partial.err
