"""A bulk action acts on what its preview showed: a motion another process changed in between
is refused by name, never overwritten (two processes, on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from casetracker.domain.enums import County, Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.operations import Actor
from casetracker.screening.service import screen_motions
from casetracker.services import bulk, motion_ops
from casetracker.services.moves import MoveConflict
from casetracker.storage.db import Database
from tests.support.motions import make_motion

ROOT = Path(__file__).resolve().parents[2]


def _screened_eligible(db: Database, n: int) -> list[int]:
    with db.unit_of_work() as session:
        ids = [make_motion(session, county=County.KINGS) for _ in range(n)]
        screen_motions(session, ids, user="screener")
    return ids


def _oppose_elsewhere(db: Database, ids: list[int]) -> None:
    """A colleague opposes some motions from their own process (the command line)."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "decide",
            *map(str, ids),
            "--decision",
            "oppose",
            "--reason",
            "EXCLUDED",
            "--user",
            "ada.smith",
            "--db",
            db.url.render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr


def _stages(db: Database, ids: list[int]) -> dict[int, Stage]:
    with db.reading() as session:
        return {m.id: m.stage for m in session.scalars(select(Motion).where(Motion.id.in_(ids)))}


def test_changed_motions_are_refused_by_name_and_the_rest_applied(db: Database) -> None:
    ids = _screened_eligible(db, 8)
    consent = bulk.MoveToStage(Stage.CONSENTED)
    with db.reading() as session:
        shown = bulk.preview(session, ids, consent)
    assert shown.motion_ids == ids

    opposed = ids[::2]
    _oppose_elsewhere(db, opposed)
    changes = motion_ops.apply_bulk(db, Actor("tester"), shown, reason="policy consent")

    stages = _stages(db, ids)
    assert [i for i in ids if stages[i] == Stage.OPPOSED] == opposed
    assert [i for i in ids if stages[i] == Stage.CONSENTED] == ids[1::2]
    assert len(changes.refused) == len(opposed)
    with db.reading() as session:
        first = session.get_one(Motion, opposed[0])
        name = f"{first.person.display_name} · {first.case.reference}"
    assert changes.refused[0].startswith(f"{name} was opposed by ada.smith at ")
    assert changes.refused[0].endswith("after you opened this")
    assert changes.undo is not None and changes.undo.motion_ids == set(ids[1::2])
    assert changes.summary == f"Move to Consented: {len(ids[1::2])} motions"
    # One history group for the action, holding exactly the motions it moved.
    with db.reading() as session:
        moved = session.scalars(
            select(MotionEvent.motion_id).where(MotionEvent.group_id == changes.undo.group_id)
        ).all()
    assert sorted(moved) == ids[1::2]


def test_all_or_nothing_saves_nothing_when_one_motion_changed(db: Database) -> None:
    ids = _screened_eligible(db, 4)
    with db.reading() as session:
        shown = bulk.preview(session, ids, bulk.MoveToStage(Stage.CONSENTED))
    _oppose_elsewhere(db, ids[-1:])
    with pytest.raises(MoveConflict, match="was opposed by ada.smith") as refusal:
        motion_ops.apply_bulk(db, "tester", shown, reason="policy", all_or_nothing=True)
    assert "Nothing was saved" in str(refusal.value)
    assert set(_stages(db, ids).values()) == {Stage.SCREENED, Stage.OPPOSED}
    assert _stages(db, ids)[ids[-1]] == Stage.OPPOSED


def test_a_queue_decision_refuses_motions_changed_since_the_queue_was_read(
    db: Database,
) -> None:
    from casetracker.decisions.queue import list_queue
    from casetracker.decisions.service import decide
    from casetracker.domain.enums import Decision

    ids = _screened_eligible(db, 3)
    with db.reading() as session:
        versions = {row.id: row.version for row in list_queue(session) if row.id in ids}
    _oppose_elsewhere(db, ids[1:2])
    with pytest.raises(MoveConflict, match="was opposed by ada.smith"), db.unit_of_work() as s:
        decide(
            s,
            ids,
            Decision.CONSENT,
            reason_code="POLICY",
            user="tester",
            expected_versions=versions,
        )
    assert _stages(db, ids) == {
        ids[0]: Stage.SCREENED,
        ids[1]: Stage.OPPOSED,
        ids[2]: Stage.SCREENED,
    }
