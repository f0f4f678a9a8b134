"""Issue 13, item 5: each of these printed "unexpected error" (exit 1) or a traceback; each is
now one line and exit code 2. A read-only database still serves lists and reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from casetracker.domain.enums import Stage
from casetracker.storage.db import Database, open_database
from tests.core.helpers import make_motion, walk_to
from tests.storage.cli_runner import cli, one_line_refusal, read_only_wrapper, run_read_only


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


@pytest.fixture
def calendared(db: Database) -> tuple[str, int]:
    motion = make_motion(db).motion_ids[0]
    walk_to(db, motion, Stage.CALENDARED)
    return _url(db), motion


def test_an_order_date_in_year_9999(calendared: tuple[str, int]) -> None:
    url, motion = calendared
    result = cli(
        "advance",
        str(motion),
        "granted",
        "--order-date",
        "9999-12-31",
        "--reason",
        "order",
        "--db",
        url,
    )
    one_line_refusal(result)
    assert "9999" in result.stderr or "too large" in result.stderr


def test_a_motion_id_of_23_digits(calendared: tuple[str, int]) -> None:
    url, _motion = calendared
    huge = "1" * 23
    one_line_refusal(
        cli("advance", huge, "granted", "--reason", "x", "--db", url), huge, "too large"
    )


def test_a_database_url_of_another_kind() -> None:
    one_line_refusal(cli("motions", "--db", "mysql://x@y/z"), "SQLite or PostgreSQL")


@pytest.mark.postgres
def test_a_5000_character_user_on_postgresql(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        motion = make_motion(db).motion_ids[0]
    finally:
        db.dispose()
    result = cli(
        "advance", str(motion), "verified", "--user", "u" * 5000, "--reason", "x", "--db", pg_url
    )
    one_line_refusal(result, "too long")


@pytest.mark.postgres
def test_a_missing_postgresql_database_or_role_is_not_an_unreachable_server(
    pg_url: str,
) -> None:
    url = make_url(pg_url)
    no_database = url.set(database="ct_no_such_database").render_as_string(hide_password=False)
    one_line_refusal(cli("motions", "--db", no_database), "no such database")
    no_role = url.set(username="ct_no_such_role").render_as_string(hide_password=False)
    one_line_refusal(cli("motions", "--db", no_role), "no such user")


@pytest.mark.parametrize(
    "report",
    [
        ["table"],
        ["weekly", "--week-ending", "2026-11-28"],
        ["defenders"],
        ["court-list", "--date", "2026-02-03", "--part", "AP1"],
    ],
)
def test_a_report_into_a_missing_folder(
    sqlite_db: Database, tmp_path: Path, report: list[str]
) -> None:
    walk_to(sqlite_db, make_motion(sqlite_db).motion_ids[0], Stage.CALENDARED)
    out = tmp_path / "no-such-folder" / "report.xlsx"
    result = cli("report", *report, "--out", str(out), "--db", _url(sqlite_db))
    one_line_refusal(result, "Cannot write", str(out))
    assert "Exception ignored" not in result.stderr
    assert not out.parent.exists()


def test_a_report_into_a_read_only_folder(sqlite_db: Database, tmp_path: Path) -> None:
    make_motion(sqlite_db)
    folder = tmp_path / "locked"
    folder.mkdir()
    if read_only_wrapper(folder) is None:
        pytest.skip("no way to make a read-only folder here")
    out = folder / "report.xlsx"
    result = run_read_only(
        folder,
        "report",
        "weekly",
        "--week-ending",
        "2026-11-28",
        "--out",
        str(out),
        "--db",
        _url(sqlite_db),
    )
    one_line_refusal(result, "Cannot write", str(out))
    assert "Exception ignored" not in result.stderr
    assert list(folder.iterdir()) == []


def test_a_read_only_database_still_serves_lists_and_reports(
    sqlite_db: Database, tmp_path: Path
) -> None:
    make_motion(sqlite_db, docket="2016SN000001")
    make_motion(sqlite_db, docket="2016SN000002")
    source = sqlite_db.sqlite_path
    assert source is not None
    sqlite_db.dispose()
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copy2(source, folder / "office.sqlite")
    if read_only_wrapper(folder) is None:
        pytest.skip("no way to make a read-only folder here")
    url = str(folder / "office.sqlite")
    listed = run_read_only(folder, "motions", "--db", url, "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"id"') == 2
    out = tmp_path / "table.xlsx"
    report = run_read_only(folder, "report", "table", "--out", str(out), "--db", url)
    assert report.returncode == 0, report.stderr
    assert out.is_file()
    refused = run_read_only(folder, "advance", "1", "verified", "--reason", "x", "--db", url)
    one_line_refusal(refused, "cannot be written")
