"""`person edit`, `case edit`, `charge add|edit|remove`, `event add|list|retire`, `undo-edit`:
one line per change, one line and exit 2 on bad input with nothing saved."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from casetracker.cli.main import run
from casetracker.domain.enums import ChargeRole, DispositionKind
from casetracker.domain.models import Case, Person, RecordEvent
from casetracker.storage.db import Database, open_database
from tests.cli.test_cli import cli, one_line_error
from tests.core.helpers import make_motion


@pytest.fixture
def url(sqlite_url: str, sqlite_db: Database) -> str:
    make_motion(sqlite_db, last="Clitest", first="Pat", docket="2014NY000111", charge="PL 221.10")
    return sqlite_url


def _run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = run([*args, "--db", url])
    out, err = capsys.readouterr()
    return code, out, err


def _history_rows(url: str) -> int:
    db = open_database(url)
    try:
        with db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(RecordEvent)) or 0)
    finally:
        db.dispose()


def test_person_edit_prints_what_changed_and_how_to_undo(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = _run(
        capsys, url, "person", "edit", "1", "--phone", "(212) 555-0142", "--email",
        "pat@example.org", "--consent", "yes", "--aliases", "Pat C; P. Clitest",
        "--add-flag", "open_felony", "--source", "OCA 2026-11-01", "--reason", "walk-in update",
    )  # fmt: skip
    assert code == 0
    assert "aliases, phone, email, consent to contact" in out
    assert "Open felony case" in out
    group = re.search(r"undo-edit ([0-9a-f-]{36})", out)
    assert group is not None
    code, out, _ = _run(capsys, url, "person", "show", "1", "--json")
    record = json.loads(out)
    assert record["phone"] == "(212) 555-0142" and record["consent_to_contact"] is True
    assert record["aliases"] == ["Pat C", "P. Clitest"]
    assert [(f["kind"], f["source"]) for f in record["flags"]] == [
        ("open_felony", "OCA 2026-11-01")
    ]
    code, out, _ = _run(capsys, url, "undo-edit", group.group(1))
    assert code == 0
    code, out, _ = _run(capsys, url, "person", "show", "1", "--json")
    record = json.loads(out)
    assert record["phone"] is None and record["flags"] == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("person", "edit", "1", "--dob", "1980-02-30"), "not a date"),
        (("person", "edit", "1", "--nysid", "12AB"), "does not look like a NYSID"),
        (("person", "edit", "1"), "say what to change"),
        (("person", "edit", "99", "--phone", "2125550100"), "no person 99"),
        (("person", "edit", "1", "--add-flag", "sex_offense"), "needs its source"),
        (("case", "edit", "1", "--county", "Nassau"), "not a county"),
        (("case", "edit", "1", "--disposition-date", "tomorrow"), "not a date"),
        (("charge", "add", "1", "possession"), "no law section"),
        (("charge", "add", "1", "PL 240.20", "--role", "plea"), "not a charge role"),
        (("charge", "edit", "1"), "Say what to change"),
        (("event", "add", "--name", "Clinic"), "needs its event date"),
        (("event", "add", "--name", "Clinic", "--date", "2026-02-31"), "not a date"),
        (("undo-edit", "no-such-change"), "nothing to undo"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_saved(
    capsys: pytest.CaptureFixture[str], url: str, args: tuple[str, ...], says: str
) -> None:
    code, out, err = _run(capsys, url, *args)
    assert code == 2, out
    assert len(err.strip().splitlines()) == 1 and says in err
    assert _history_rows(url) == 0


def test_case_edit_and_charges_give_what_screening_reads(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = _run(
        capsys, url, "case", "edit", "1", "--disposition", "PG 240.20", "--disposition-date",
        "2014-08-01", "--arrest-date", "2014-05-02", "--sentence", "CD", "--defense-counsel",
        "Legal Aid Society", "--court", "Criminal Court", "--part", "AP3",
    )  # fmt: skip
    assert code == 0 and "disposition" in out
    code, out, _ = _run(capsys, url, "charge", "add", "1", "PL 240.20", "--role", "conviction")
    assert code == 0 and "Add conviction charge PL 240.20" in out
    code, out, _ = _run(capsys, url, "charge", "edit", "1", "--code", "PL 221.05")
    assert code == 0
    db = open_database(url)
    try:
        with db.reading() as session:
            case = session.get(Case, 1)
            assert case is not None
            assert case.disposition_kind == DispositionKind.CONVICTED
            assert [(c.section, c.role) for c in case.charges] == [
                ("PL 221.05", ChargeRole.ARREST),
                ("PL 240.20", ChargeRole.CONVICTION),
            ]
            person = session.get(Person, 1)
            assert person is not None and person.version == 1
    finally:
        db.dispose()


def test_events_add_list_retire(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = _run(
        capsys, url, "event", "add", "--name", "Flatbush clinic", "--date", "2026-12-19",
        "--county", "Brooklyn", "--location", "Fake Library",
    )  # fmt: skip
    assert code == 0 and "(event 1)" in out
    code, out, _ = _run(capsys, url, "event", "list", "--json")
    assert json.loads(out) == [
        {
            "id": 1,
            "name": "Flatbush clinic",
            "date": "2026-12-19",
            "location": "Fake Library",
            "county": "kings",
            "retired": False,
            "motions": 0,
        }
    ]
    assert _run(capsys, url, "event", "retire", "1")[0] == 0
    assert "No current community events." in _run(capsys, url, "event", "list")[1]
    assert "[retired]" in _run(capsys, url, "event", "list", "--all")[1]
    code, _, err = _run(capsys, url, "event", "retire", "1")
    assert code == 2 and "already retired" in err


def test_a_fresh_process_gives_one_line_on_bad_input(url: str) -> None:
    line = one_line_error(cli("person", "edit", "1", "--email", "nobody", "--db", url))
    assert "not an address" in line


def test_notify_from_granted_on_and_list_the_attempts(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, sqlite_db: Database
) -> None:
    from casetracker.domain.enums import Stage
    from tests.core.helpers import walk_to

    made = make_motion(sqlite_db, docket="2014NY000222")
    walk_to(sqlite_db, made.motion_ids[0], Stage.GRANTED)
    motion = str(made.motion_ids[0])
    code, out, err = _run(
        capsys, sqlite_url, "notify", motion, "--date", "2026-02-10", "--outcome",
        "left_message", "--method", "phone", "--org", "LAS", "--note", "voicemail",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _run(
        capsys, sqlite_url, "notify", motion, "--date", "2026-02-12", "--outcome", "delivered",
        "--method", "mail",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = _run(capsys, sqlite_url, "notifications", motion, "--json")
    attempts = json.loads(out)
    assert [(a["date"], a["outcome"], a["reached"]) for a in attempts] == [
        ("2026-02-12", "delivered", True),
        ("2026-02-10", "left_message", False),
    ]
    assert attempts[1]["note"] == "voicemail"
    code, out, _ = _run(capsys, sqlite_url, "notifications", motion)
    assert "Granted): 2 attempt(s)" in out
