"""Accounts tests run the command line in this process (`cli.main.run`), with the password in
$CASETRACKER_PASSWORD as a script would give it."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from casetracker.accounts.roles import ROLES
from casetracker.cli.main import run
from casetracker.services.identity import set_signed_in
from casetracker.storage.db import open_database

ADMIN = "ada.admin"
PASSWORD = "plum lantern river 42"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def signed_out() -> Iterator[None]:
    set_signed_in(None)
    yield
    set_signed_in(None)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def call(*args: str, password: str | None = None, stdin: str | None = None) -> Result:
        set_signed_in(None)
        if password is None:
            monkeypatch.delenv("CASETRACKER_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("CASETRACKER_PASSWORD", password)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield call


def add_user(cli: Any, db: str, name: str, role: str, password: str = PASSWORD) -> None:
    """The first account is made by nobody in particular; the rest by the administrator."""
    args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db]
    if name == ADMIN:
        result = cli(*args, stdin=password + "\n")
    else:
        result = cli(*args, "--user", ADMIN, stdin=password + "\n", password=PASSWORD)
    assert result.code == 0, result.err


USERS = {role: f"{role}.user" for role in ROLES}
USERS["administrator"] = ADMIN


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo office with one user of each role, made once for the module."""
    from casetracker.accounts.store import add_user as add
    from casetracker.devtools.demo import generate_demo

    path = tmp_path_factory.mktemp("office") / "office.sqlite"
    url = f"sqlite:///{path}"
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            for _ in generate_demo(session, people=30, seed=3):
                pass
            add(session, None, ADMIN, "administrator", PASSWORD)
            for role, name in USERS.items():
                if role != "administrator":
                    add(session, ADMIN, name, role, PASSWORD)
    finally:
        db.dispose()
    return url
