"""Intakes of the same NYSID from two processes at once make one person per NYSID (PostgreSQL
made two before: check-then-insert without a lock or a unique index)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from casetracker.domain.models import Motion, Person
from casetracker.storage.db import Database, create_db_engine, open_database

ROOT = Path(__file__).resolve().parents[2]
NYSIDS = [f"{n:08d}K" for n in range(12340000, 12340015)]

_INTAKES = """
import sys
from datetime import date
from casetracker.domain.enums import County, MotionKind
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.storage.db import open_database

url, tag, *nysids = sys.argv[1:]
db = open_database(url, migrate=False)
for n, nysid in enumerate(nysids):
    with db.unit_of_work() as session:
        intake(
            session,
            IntakeRequest(
                cases=[CaseInput(docket=f"2016KN{tag}{n:05d}", charges=["PL 221.05"],
                                 county=County.KINGS)],
                kind=MotionKind.CONVICTION_VACATUR,
                person=PersonInput(last="Racer", first=f"Pat{n}", nysid=nysid,
                                   date_of_birth=date(1980, 1, 1 + n)),
            ),
            f"clerk.{tag}",
        )
db.dispose()
"""


def test_two_processes_taking_in_the_same_nysids_make_one_person_each(db: Database) -> None:
    url = db.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _INTAKES, url, tag, *NYSIDS],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("1", "2")
    ]
    for process in processes:
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    with db.reading() as session:
        people = session.execute(select(Person.nysid, func.count()).group_by(Person.nysid)).all()
        motions = session.scalar(select(func.count()).select_from(Motion))
    assert sorted(people) == [(nysid, 1) for nysid in NYSIDS]
    assert motions == 2 * len(NYSIDS)


def test_the_database_refuses_a_second_person_with_a_nysid_on_file(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add(Person(last_name="One", name_key="one|", nysid="11112222K"))
        session.add(Person(last_name="Blank", name_key="blank|"))
        session.add(Person(last_name="Blank too", name_key="blank too|"))
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        session.add(Person(last_name="Two", name_key="two|", nysid="11112222K"))


def test_upgrading_keeps_people_entered_twice_and_makes_the_index(sqlite_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from casetracker.storage.migrate import alembic_config

    config = alembic_config()
    before = ScriptDirectory.from_config(config).get_revision("0009_engine").down_revision
    # A database as it was before this migration, holding one NYSID three times.
    engine = create_db_engine(make_url(sqlite_url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, str(before))
        for name in ("First", "Second", "Third"):
            connection.execute(
                text(
                    "INSERT INTO person (last_name, first_name, middle_name, name_key, aliases,"
                    " nysid, consent_to_contact, created_at, version)"
                    " VALUES (:name, '', '', :key, '[]', '33334444K', 0, '2026-01-01', 1)"
                ),
                {"name": name, "key": f"{name.lower()}|"},
            )
    engine.dispose()
    db = open_database(sqlite_url)
    try:
        with db.reading() as session:
            people = session.execute(
                select(Person.last_name, Person.nysid).order_by(Person.id)
            ).all()
        assert people == [("First", "33334444K"), ("Second", None), ("Third", None)]
    finally:
        db.dispose()
