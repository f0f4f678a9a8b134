"""The screening, decision and court-list commands as a script uses them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from casetracker.domain.enums import FlagKind, MotionKind
from casetracker.storage.db import open_database
from tests.cli.test_cli import cli, one_line_error
from tests.support.motions import make_motion


def seeded(tmp_path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    db = open_database(url)
    with db.unit_of_work() as session:
        ids = [
            make_motion(session, charges=["PL 2210500"]),
            make_motion(session, charges=["AC 10-125"]),
            make_motion(session, flags=[FlagKind.VIOLENT_FELONY]),
            make_motion(session, MotionKind.CONVICTION_VACATUR, verify=False),
        ]
    db.dispose()
    return url, ids


def test_screen_decide_and_court_list_from_the_command_line(tmp_path: Path) -> None:
    url, ids = seeded(tmp_path)
    result = cli("screen", "--all", "--db", url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == [str(ids[0]), "Eligible"]
    assert "warrant-marijuana-possession (PL 221.05, summons charge, case 2016SN" in lines[0]
    assert "flag-violent-felony" in lines[2]
    assert "skipped 1 (1: the conviction record is not verified yet" in result.stderr

    one_line_error(
        cli("decide", str(ids[0]), "--decision", "consent", "--reason", "NOPE", "--db", url)
    )
    result = cli(
        "decide", "--all-eligible", "--decision", "consent", "--reason", "POLICY", "--db", url
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Consent to 2 motions")

    result = cli("court-list", "create", "--date", "2026-03-05", "--part", "AP1", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "2 motions for 2026-03-05 part AP1" in result.stdout
    for step in (
        ["file", "1", "--date", "2026-02-20"],
        ["calendar", "1"],
        ["outcome", "1", "--granted"],
    ):
        result = cli("court-list", *step, "--db", url)
        assert result.returncode == 0, result.stderr
    motions = json.loads(cli("motions", "--json", "--db", url).stdout)
    assert [m["stage"] for m in motions[:2]] == ["granted", "granted"]
    screening = motions[0]["screening"]
    assert set(screening) == {"result", "rule_set", "as_of", "reasons"}
    assert (screening["result"], screening["rule_set"]) == ("eligible", "2018-office-2")
    assert set(screening["reasons"][0]) == {"rule", "because", "subject", "effect"}
    assert motions[3]["screening"] is None


def test_screen_json_as_of_and_proceed_anyway(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    db = open_database(url)
    with db.unit_of_work() as session:
        old = make_motion(
            session, MotionKind.CONVICTION_VACATUR, ["PL 221.15"], intake_date=date(2018, 10, 1)
        )
    db.dispose()
    result = cli("screen", str(old), "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    [screened] = json.loads(result.stdout)
    assert screened["screening"]["result"] == "eligible"
    assert screened["screening"]["as_of"] == "2018-10-01"
    result = cli("screen", str(old), "--json", "--as-of", "2026-12-02", "--db", url)
    [screened] = json.loads(result.stdout)
    assert screened["screening"]["result"] == "expunged_by_law"
    assert screened["screening"]["reasons"][0]["rule"] == "expunged-2021-mrta"
    assert "not a date" in one_line_error(cli("screen", str(old), "--as-of", "12/2/26"))
    result = cli(
        "proceed-anyway",
        str(old),
        "--reason",
        "immigration",
        "--as-of",
        "2026-12-02",
        "--db",
        url,
    )
    assert result.returncode == 0, result.stderr
    assert "screened again: Eligible" in result.stdout
    assert "already proceeds" in one_line_error(
        cli("proceed-anyway", str(old), "--reason", "again", "--db", url)
    )


def test_screen_errors_are_one_line(tmp_path: Path) -> None:
    url, ids = seeded(tmp_path)
    assert "not verified" in one_line_error(cli("screen", str(ids[3]), "--db", url))
    assert "no motion 999" in one_line_error(cli("screen", "999", "--db", url))
    assert "MOTION_ID... or --all" in one_line_error(cli("screen", "--db", url))
    typed = cli("advance", str(ids[0]), "screened", "--screening-result", "eligible", "--db", url)
    assert "use 'screen" in one_line_error(typed)
    assert "not a date" in one_line_error(
        cli("court-list", "create", "--date", "5/3/26", "--part", "AP1", "--db", url)
    )


def test_rules_check_and_load_need_valid_rules_with_a_new_version(tmp_path: Path) -> None:
    url, _ = seeded(tmp_path)
    shown = cli("rules", "show", "--db", url)
    doc = json.loads(shown.stdout)
    doc["coverage"][2]["charges"] = ["AC 16-118"]
    edited = tmp_path / "rules.json"
    edited.write_text(json.dumps(doc))
    assert "new version" in one_line_error(cli("rules", "load", str(edited), "--db", url))
    doc["coverage"][2]["charges"] = ["not a charge"]
    edited.write_text(json.dumps(doc))
    assert "coverage[2].charges[0]" in one_line_error(cli("rules", "check", str(edited)))
    doc["coverage"][2]["charges"] = ["AC 16-118"]
    doc["version"] = "2019-office-3"
    edited.write_text(json.dumps(doc))
    assert cli("screen", "--all", "--db", url).returncode == 0
    assert cli("rules", "load", str(edited), "--db", url).returncode == 0
    preview = cli("screen", "--rescreen", "--db", url)
    assert preview.stdout.split()[1:4] == ["Eligible", "->", "Ineligible"]
    assert "Run again with --yes" in preview.stderr
    assert cli("screen", "--rescreen", "--yes", "--db", url).returncode == 0
    assert cli("screen", "--rescreen", "--db", url).stdout == ""
