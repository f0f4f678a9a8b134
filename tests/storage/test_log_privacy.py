"""Nothing personal reaches the log: a database error caused by a record with a name, a date
of birth, a NYSID and an address is logged the way the app logs unexpected errors, and the
log is searched for each of them (issue 13, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from casetracker.storage.db import Database
from tests.core.helpers import make_motion

ROOT = Path(__file__).resolve().parents[2]

PERSONAL = ["Quillfeather", "Ottoline", "1971-04-03", "98765432Z", "17 Larkspur Lane"]

SCRIPT = """
import logging, sys
from datetime import date
from casetracker.domain.models import Person
from casetracker.logsetup import setup_logging
from casetracker.storage.db import open_database

log = logging.getLogger("casetracker.cli.main")
path = setup_logging()
db = open_database(sys.argv[1])


def person(**changes):
    values = dict(
        last_name="Quillfeather", first_name="Ottoline", name_key="quillfeather ottoline",
        date_of_birth=date(1971, 4, 3), nysid="98765432Z", nysid_as_typed="98765432Z",
        address="17 Larkspur Lane",
    )
    values.update(changes)
    return Person(**values)


attempts = {
    # The person already on file has id 1: the insert breaks the primary key.
    "duplicate": person(id=1),
    # Longer than the column: PostgreSQL refuses it (SQLite stores it).
    "too long": person(nysid_as_typed="98765432Z 17 Larkspur Lane Quillfeather " * 3),
}
for name, row in attempts.items():
    try:
        with db.unit_of_work() as session:
            session.add(row)
            session.flush()
    except Exception as error:
        # Exactly what the command line does with an error it did not expect.
        log.exception("unexpected error in command %s", ["intake"])
        print(name, type(error).__name__, str(error).replace(chr(10), " "))
db.dispose()
print("LOG", path)
"""


def test_a_database_error_with_personal_data_leaves_none_in_the_log(
    db: Database, tmp_path: Path
) -> None:
    make_motion(db)
    url = db.url.render_as_string(hide_password=False)
    data = tmp_path / "logdata"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CASETRACKER_DATA_DIR": str(data)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    log_path = Path(lines[-1].removeprefix("LOG "))
    errors = lines[:-1]
    assert any(line.startswith("duplicate IntegrityError") for line in errors)
    if db.engine.dialect.name == "postgresql":
        assert any(line.startswith("too long") for line in errors)
    text = log_path.read_text(encoding="utf-8")
    assert "IntegrityError" in text  # the error itself was logged
    for value in PERSONAL:
        assert value not in text
        # Nor in what the user would be shown.
        assert all(value not in line for line in errors)
    if os.name == "posix":
        assert log_path.stat().st_mode & 0o077 == 0
