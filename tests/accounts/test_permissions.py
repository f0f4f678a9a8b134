"""Every command as every role: the permission table (resources/permissions.json) decides,
and the core checks it whichever client calls (services and operations are called directly
here too, with no command line in between)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import casetracker
from casetracker.accounts.errors import PermissionDeniedError
from casetracker.accounts.roles import ROLES, permission_table
from casetracker.domain.enums import Decision, Stage
from casetracker.domain.errors import CasetrackerError
from casetracker.operations import operation_names
from casetracker.storage.db import open_database
from tests.accounts.conftest import PASSWORD, USERS


def _commands(tmp: Path) -> list[tuple[str, tuple[str, ...]]]:
    rules = tmp / "rules.json"
    rules.write_text("{}", encoding="utf-8")
    return [
        ("demo.load", ("demo", "--people", "1")),
        ("records.read", ("motions",)),
        ("records.read", ("import-batches",)),
        ("motion.advance", ("advance", "999999", "verified", "--reason", "x")),
        ("import.run", ("import", str(tmp / "missing.xlsx"), "--dry-run")),
        ("import.run", ("import-undo", "999999")),
        ("reports.export", ("report", "table", "--out", str(tmp / "t.csv"))),
        ("reports.export", ("no-contact",)),
        ("motion.screen", ("screen", "999999")),
        ("records.read", ("rules", "show")),
        ("rules.load", ("rules", "load", str(rules))),
        ("motion.decide", ("decide", "999999", "--decision", "consent", "--reason", "X")),
        ("motion.signoff", ("signoff", "999999")),
        ("signoff.rule", ("signoff", "--required", "off")),
        ("records.read", ("signoff", "--list")),
        ("reason_codes.edit", ("reason-codes", "add", "ZZ", "--label", "x")),
        ("records.read", ("reason-codes", "list")),
        ("records.read", ("court-list", "show")),
        ("court_list.manage", ("court-list", "max", "5000")),
        ("records.read", ("sealing", "overdue")),
        ("aftercare.record", ("sealing", "confirm", "999999", "--date", "2026-01-05")),
        (
            "aftercare.record",
            ("notify", "999999", "--date", "2026-01-05", "--outcome", "delivered"),
        ),
        ("users.manage", ("users", "list")),
        ("audit.view", ("audit", "log")),
        ("audit.view", ("audit", "verify")),
        ("database.backup", ("backups",)),
        ("motion.proceed_anyway", ("proceed-anyway", "999999", "--reason", "x")),
        ("papers.generate", ("papers", "motion", "999999", "--out", str(tmp / "p.docx"))),
        ("records.read", ("papers", "templates")),
        ("papers.templates", ("papers", "restore-template", "notice_of_motion")),
        ("records.read", ("person", "show", "999999")),
        ("person.edit", ("person", "edit", "999999", "--last-name", "X")),
        ("case.edit", ("case", "edit", "999999", "--docket", "X")),
        ("charge.edit", ("charge", "edit", "999999", "--code", "PL 221.05")),
        ("charge.remove", ("charge", "remove", "999999")),
        ("records.read", ("event", "list")),
        ("event.edit", ("event", "edit", "999999", "--name", "Y")),
        ("event.retire", ("event", "retire", "999999")),
        ("records.read", ("notifications", "999999")),
        ("database.backup", ("backup", "--out", str(tmp / "b.sqlite"))),
        ("database.backup", ("restore", str(tmp / "missing.sqlite"), "--yes")),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_command_as_each_role(cli: Any, office: str, tmp_path: Path, role: str) -> None:
    table = permission_table()
    wrong: list[str] = []
    for permission, args in _commands(tmp_path):
        result = cli(*args, "--db", office, "--user", USERS[role], password=PASSWORD)
        refused = result.code == 2 and "may not" in result.err
        if refused == table.allows(role, permission):
            wrong.append(f"{' '.join(args)}: {'refused' if refused else 'allowed'}: {result.err}")
    assert wrong == []


def test_every_operation_has_a_row_in_the_permission_table() -> None:
    for module in pkgutil.walk_packages(casetracker.__path__, "casetracker."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    missing = [name for name in operation_names() if name not in permission_table().permissions]
    assert missing == []


class _Rollback(Exception):
    pass


def _as(office: str, user: str, call: Any) -> str | None:
    """Run call(session) in a unit of work that is rolled back; the refusal's text, if any."""
    db = open_database(office)
    refusal: str | None = None
    try:
        with db.unit_of_work() as session:
            try:
                call(session)
            except PermissionDeniedError as error:
                refusal = str(error)
            except CasetrackerError:
                pass  # allowed, refused for another reason (no such motion, ...)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        db.dispose()
    return refusal


CORE_CALLS = {
    "motion.decide": lambda s, u: __import__(
        "casetracker.decisions.service", fromlist=["decide"]
    ).decide(s, [1], Decision.CONSENT, reason_code="X", user=u),
    "motion.signoff": lambda s, u: __import__(
        "casetracker.decisions.service", fromlist=["sign_off"]
    ).sign_off(s, [1], user=u),
    "signoff.rule": lambda s, u: __import__(
        "casetracker.decisions.service", fromlist=["x"]
    ).set_opposition_needs_signoff(s, False, u),
    "rules.load": lambda s, u: __import__("casetracker.screening.store", fromlist=["x"]).save_rules(
        s, "{}", user=u
    ),
    "settings.change": lambda s, u: __import__(
        "casetracker.services.office_settings", fromlist=["x"]
    ).set_sealing_days(s, 30, u),
    "court_list.manage": lambda s, u: __import__(
        "casetracker.courtlists.service", fromlist=["x"]
    ).set_court_list_max(s, 100, u),
    "reason_codes.edit": lambda s, u: __import__(
        "casetracker.decisions.reason_codes", fromlist=["x"]
    ).add_reason_code(s, "ZZ-TEST", "a test code", None, user=u),
    "users.manage": lambda s, u: __import__(
        "casetracker.accounts.store", fromlist=["x"]
    ).list_users(s, u),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(CORE_CALLS))
def test_services_check_the_role_themselves(office: str, role: str, permission: str) -> None:
    refusal = _as(office, USERS[role], lambda s: CORE_CALLS[permission](s, USERS[role]))
    assert (refusal is None) == permission_table().allows(role, permission), refusal


@pytest.mark.parametrize("role", ROLES)
def test_operations_check_the_role_before_their_body(office: str, role: str) -> None:
    from casetracker.services.motion_ops import advance

    db = open_database(office)
    try:
        try:
            advance(db, USERS[role], 999999, Stage.VERIFIED, reason="x")
            refused = False
        except PermissionDeniedError:
            refused = True
        except CasetrackerError:
            refused = False
    finally:
        db.dispose()
    assert refused != permission_table().allows(role, "motion.advance")


def test_a_name_with_no_account_is_refused_once_accounts_exist(office: str) -> None:
    refusal = _as(office, "stranger", lambda s: CORE_CALLS["motion.decide"](s, "stranger"))
    assert refusal is not None and "not an active user" in refusal
