"""History reads as sentences and counts as words: no action codes or "motion(s)" for people."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from casetracker.domain.enums import Stage
from casetracker.domain.words import counted
from casetracker.services.history_words import history_sentence
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database, plain_name
from tests.core.helpers import make_motion, walk_to


def test_each_step_of_a_motion_reads_as_a_sentence(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.CALENDARED)
    with sqlite_db.reading() as session:
        sentences = [item.sentence for item in motion_detail(session, motion_id).history]
    assert sentences[0] == "Taken in by tester"
    assert "Record verified by tester" in sentences
    assert any(s.startswith("Screened: screening result") for s in sentences)
    assert "Filed: filing date 2026-01-05 by tester" in sentences
    assert "Calendared: court date 2026-02-03, part AP1 by tester" in sentences
    assert not any("_" in s for s in sentences)


def test_assigning_and_listing_name_the_person_and_the_list() -> None:
    assert (
        history_sentence(
            "assign",
            "ada.smith",
            Stage.SCREENED,
            Stage.SCREENED,
            {"assigned_prosecutor": [None, "chen"]},
        )
        == "Assigned to ADA chen by ada.smith"
    )
    assert (
        history_sentence(
            "add_to_list",
            "ada.smith",
            Stage.FILED,
            Stage.FILED,
            {"court_list_id": [None, 4]},
            "Kings AP1 2026-12-15",
        )
        == "Added to court list Kings AP1 2026-12-15 by ada.smith"
    )


def test_counts_and_the_database_in_words() -> None:
    assert counted(1, "motion") == "1 motion"
    assert counted(1085, "motion") == "1,085 motions"
    assert counted(2, "person", "people") == "2 people"
    assert plain_name(
        make_url("sqlite:////home/ana/.local/share/casetracker/db/casetracker.sqlite")
    ) == ("Database: casetracker.sqlite in /home/ana/.local/share/casetracker/db")
    assert "sqlite:" not in plain_name(make_url("sqlite:////x/y.sqlite"))
    assert plain_name(make_url("postgresql+psycopg://app:secret@db.office/casetracker")) == (
        "Office database casetracker on db.office"
    )
