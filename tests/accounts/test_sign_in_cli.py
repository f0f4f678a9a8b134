"""Accounts and signing in on the command line: single-user until the first account, then a
password for every command, one-line refusals, and the lock after five wrong passwords."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.conftest import ADMIN, PASSWORD, add_user


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite'}"


def test_a_database_without_accounts_is_single_user(cli: Any, url: str) -> None:
    result = cli("motions", "--db", url)
    assert result.code == 0, result.err


def test_the_first_account_must_be_an_administrator(cli: Any, url: str) -> None:
    result = cli(
        "users",
        "add",
        "bo",
        "--role",
        "intake",
        "--password-stdin",
        "--db",
        url,
        stdin=PASSWORD + "\n",
    )
    assert result.code == 2
    assert "first account must be an administrator" in result.err
    assert cli("motions", "--db", url).code == 0  # still single-user


def test_after_the_first_account_every_command_needs_a_user(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli("motions", "--db", url)
    assert result.code == 2
    assert "--user NAME" in result.err and len(result.err.strip().splitlines()) == 1
    assert cli("motions", "--db", url, "--user", ADMIN, password=PASSWORD).code == 0
    # The user may also come before the command, like --db.
    assert cli("--user", ADMIN, "motions", "--db", url, password=PASSWORD).code == 0


def test_no_password_and_no_terminal_is_one_clear_line(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli("motions", "--db", url, "--user", ADMIN)
    assert result.code == 2
    assert "CASETRACKER_PASSWORD" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_names_are_compared_after_trimming_nfc_and_case(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "Zoë Quinn", "intake")
    for typed in (" zoë quinn ", "Zoe\u0308 Quinn", "ZOË  QUINN"):
        result = cli("motions", "--db", url, "--user", typed, password=PASSWORD)
        assert result.code == 0, (typed, result.err)


@pytest.mark.parametrize("name", ["eve\u202eadmin", "tab\tname", "zero\u200bwidth", "nl\nx"])
def test_names_with_control_or_bidi_characters_are_refused(cli: Any, url: str, name: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli(
        "users",
        "add",
        name,
        "--role",
        "intake",
        "--password-stdin",
        "--db",
        url,
        "--user",
        ADMIN,
        password=PASSWORD,
        stdin=PASSWORD + "\n",
    )
    assert result.code == 2
    assert "U+" in result.err


def test_a_name_differing_only_in_case_or_spaces_is_the_same_user(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli(
        "users",
        "add",
        " ADA.admin ",
        "--role",
        "intake",
        "--password-stdin",
        "--db",
        url,
        "--user",
        ADMIN,
        password=PASSWORD,
        stdin=PASSWORD + "\n",
    )
    assert result.code == 2 and "already a user" in result.err


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short pass", "too short"),
        ("password1234", "commonly used"),
        ("Qwerty123456!!", "commonly used"),
        ("aaaaaaaaaaaaaaa", "repeats"),
        ("123456789012", "run of keys"),
        ("abcdefghijklmnop", "run of keys"),
    ],
)
def test_weak_passwords_are_refused_and_say_why(
    cli: Any, url: str, password: str, why: str
) -> None:
    result = cli(
        "users",
        "add",
        ADMIN,
        "--role",
        "administrator",
        "--password-stdin",
        "--db",
        url,
        stdin=password + "\n",
    )
    assert result.code == 2
    assert why in result.err, result.err


def test_wrong_password_is_one_line_exit_2(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli("motions", "--db", url, "--user", ADMIN, password="not the password")
    assert result.code == 2
    assert result.err.strip().splitlines() == ["casetracker: error: wrong user name or password"]
    unknown = cli("motions", "--db", url, "--user", "nobody", password="not the password")
    assert unknown.err == result.err  # an unknown name is not told apart


def test_five_failures_lock_until_an_administrator_unlocks(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "bo.intake", "intake")
    for attempt in range(1, 6):
        result = cli("motions", "--db", url, "--user", "bo.intake", password="wrong password!")
        assert result.code == 2
        expected = "locked; an administrator can unlock it" if attempt == 5 else "wrong user"
        assert expected in result.err, (attempt, result.err)
    # Locked: even the right password is refused now.
    result = cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD)
    assert result.code == 2 and "locked; an administrator can unlock it" in result.err
    listed = cli("users", "list", "--json", "--db", url, "--user", ADMIN, password=PASSWORD)
    status = {row["name"]: row["status"] for row in json.loads(listed.out)}
    assert status["bo.intake"] == "locked"
    assert (
        cli("users", "unlock", "bo.intake", "--db", url, "--user", ADMIN, password=PASSWORD).code
        == 0
    )
    assert cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD).code == 0


def test_a_success_resets_the_failure_count(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "bo.intake", "intake")
    for _ in range(4):
        cli("motions", "--db", url, "--user", "bo.intake", password="wrong password!")
    assert cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD).code == 0
    for _ in range(4):
        result = cli("motions", "--db", url, "--user", "bo.intake", password="wrong password!")
        assert "locked" not in result.err
    assert cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD).code == 0


def test_disable_and_reset_password(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "bo.intake", "intake")
    assert (
        cli("users", "disable", "bo.intake", "--db", url, "--user", ADMIN, password=PASSWORD).code
        == 0
    )
    result = cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD)
    assert result.code == 2 and "disabled" in result.err
    assert (
        cli("users", "enable", "bo.intake", "--db", url, "--user", ADMIN, password=PASSWORD).code
        == 0
    )
    new = "orchid tractor seven"
    assert (
        cli(
            "users",
            "reset-password",
            "bo.intake",
            "--password-stdin",
            "--db",
            url,
            "--user",
            ADMIN,
            password=PASSWORD,
            stdin=new + "\n",
        ).code
        == 0
    )
    assert cli("motions", "--db", url, "--user", "bo.intake", password=PASSWORD).code == 2
    assert cli("motions", "--db", url, "--user", "bo.intake", password=new).code == 0


def test_the_last_administrator_cannot_be_disabled(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    result = cli("users", "disable", ADMIN, "--db", url, "--user", ADMIN, password=PASSWORD)
    assert result.code == 2 and "last active administrator" in result.err


def test_only_administrators_manage_users(cli: Any, url: str) -> None:
    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "sam.super", "supervisor")
    result = cli(
        "users",
        "add",
        "mallory",
        "--role",
        "administrator",
        "--password-stdin",
        "--db",
        url,
        "--user",
        "sam.super",
        password=PASSWORD,
        stdin=PASSWORD + "\n",
    )
    assert result.code == 2 and "may not" in result.err
    listed = cli("users", "list", "--db", url, "--user", "sam.super", password=PASSWORD)
    assert listed.code == 2


def test_passwords_are_stored_as_argon2id_hashes(cli: Any, url: str) -> None:
    import sqlite3

    add_user(cli, url, ADMIN, "administrator")
    path = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    try:
        (stored,) = connection.execute("SELECT password_hash FROM user_account").fetchone()
    finally:
        connection.close()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_each_command_is_one_audit_entry_naming_it(cli: Any, url: str) -> None:
    """A command line signs in for itself: one entry says who ran which command (the logon
    CJIS 5.4.1.1 wants audited), with no separate sign-in or sign-out entry, and never the
    values typed (a --search may be a name). Failures and refusals are entries too."""
    from sqlalchemy import select

    from casetracker.domain.models import AuditEntry
    from casetracker.storage.db import open_database

    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "bo.intake", "intake")
    db = open_database(url)
    with db.reading() as session:
        before = len(session.scalars(select(AuditEntry.id)).all())
    db.dispose()
    cli("court-list", "show", "--db", url, "--user", "bo.intake", password=PASSWORD)
    cli("court-list", "max", "5000", "--db", url, "--user", "bo.intake", password=PASSWORD)
    cli("court-list", "show", "--db", url, "--user", "bo.intake", password="wrong password!")
    db = open_database(url)
    with db.reading() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[before:]
        got = [(e.user, e.action, e.target, (e.detail or {}).get("channel")) for e in entries]
    db.dispose()
    assert got == [
        ("bo.intake", "command run", "command court-list show", "command line"),
        ("bo.intake", "permission refused", "command court-list max", "command line"),
        ("bo.intake", "sign-in failed", None, "command line: court-list"),
    ]


def test_an_import_with_accounts_does_not_wait_for_the_days_backup(
    cli: Any, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in writes to the audit log, so the day's backup is begun first, on a thread;
    the import waits for it only before it commits, and it holds the database as it was."""
    import sqlite3

    from casetracker.devtools.fakelist import write_fake_list
    from casetracker.storage import backup as backup_module
    from casetracker.storage.backup import DAILY, list_backups

    def made_first(*args: object, **kwargs: object) -> None:
        raise AssertionError("the day's backup was made before the import, which waited")

    add_user(cli, url, ADMIN, "administrator")
    add_user(cli, url, "bo.intake", "intake")
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_fake_list(first, 200, seed=41)
    write_fake_list(second, 300, seed=42)
    db_file = Path(url.removeprefix("sqlite:///"))
    assert (
        cli("import", str(first), "--db", url, "--user", "bo.intake", password=PASSWORD).code == 0
    )
    with sqlite3.connect(db_file) as live:
        motions = live.execute("SELECT count(*) FROM motion").fetchone()[0]
    assert motions > 0
    for old in list_backups(db_file):  # as on the next morning
        old.path.unlink()
    monkeypatch.setattr(backup_module, "copy_database", made_first)
    result = cli("import", str(second), "--db", url, "--user", "bo.intake", password=PASSWORD)
    assert result.code == 0, result.err
    [backup] = list_backups(db_file)
    assert backup.kind == DAILY
    with sqlite3.connect(backup.path) as copy:
        assert copy.execute("SELECT count(*) FROM motion").fetchone()[0] == motions
    with sqlite3.connect(db_file) as live:
        assert live.execute("SELECT count(*) FROM motion").fetchone()[0] > motions
