"""One simulated person of `bench office`, in a process of its own.

It works the way a person works the window, through the same services and operations the
window calls, with a person's pauses between actions: types a name into the desk's search a
letter at a time (each keystroke re-reads the table, as the desk does), opens a motion (what
the detail pane reads), moves one with the step the detail pane offers and the data that step
needs (at the version it read, so a motion someone changed meanwhile is refused), decides a
few motions at the top of the prosecutor's queue, now and then moves 200 motions in bulk
(preview, then apply) and exports the table.

Run as `python -m casetracker.devtools.bench.office_user CONFIG.json`; it works until the
stop file named in the configuration appears, then writes its figures as JSON.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event

from casetracker.accounts import audit
from casetracker.decisions.operations import decide_motions
from casetracker.decisions.queue import QueueFilter, QueueRow, list_queue
from casetracker.devtools import demo_people
from casetracker.domain.clock import today
from casetracker.domain.enums import (
    Decision,
    NotificationMethod,
    NotificationOutcome,
    ScreeningResult,
    Stage,
)
from casetracker.domain.errors import StaleEditError
from casetracker.operations import Actor, Changes
from casetracker.reports.table_export import export_table
from casetracker.services import bulk, motion_ops
from casetracker.services.desk import DeskQuery, motion_ids, rows_for
from casetracker.services.motion_detail import ActionInfo, MotionDetail, motion_detail
from casetracker.services.queries import MotionFilter
from casetracker.services.search import refresh_search
from casetracker.storage.db import Database, open_database

# What the desk reads with each answer: the first page of rows (ui/motion_table_model.PAGE).
PAGE = 200
BULK = 200
# A wait for SQLite's write lock longer than this is a "busy" wait (an uncontended
# BEGIN IMMEDIATE takes well under a millisecond).
BUSY_MS = 5.0

ACTIONS = ("search", "filter", "open", "move", "queue", "decide", "bulk", "export")
# How often a person does each thing (search counts a whole name typed).
MIX = {"search": 30, "open": 25, "move": 25, "decide": 12, "bulk": 3, "export": 3}


@dataclass
class Figures:
    """One kind of action: its times, its errors and its refusals (stale edits)."""

    ms: list[float] = field(default_factory=list)
    errors: int = 0
    refusals: int = 0
    messages: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class Person:
    def __init__(self, db: Database, name: str, rng: random.Random, pause: float) -> None:
        self.db = db
        self.actor = Actor(name)
        self.rng = rng
        self.pause = pause
        self.figures = {action: Figures() for action in ACTIONS}
        self.found: list[int] = []
        # (motion id, history group) of every move the person was told was saved.
        self.made: list[tuple[int, str]] = []
        self.folder = Path(tempfile.mkdtemp(prefix="ct-office-"))

    # -- the loop ---------------------------------------------------------------------------

    def work_until(self, stop: Path) -> None:
        """Each thing once (so a short run has them all), then the mix until told to stop."""
        kinds, weights = list(MIX), list(MIX.values())
        first = iter(self.rng.sample(kinds, len(kinds)))
        while not stop.exists():
            kind = next(first, None) or self.rng.choices(kinds, weights)[0]
            getattr(self, "bulk_move" if kind == "bulk" else kind)()
            self.think(0.5, 2.0)

    def think(self, low: float, high: float) -> None:
        time.sleep(self.rng.uniform(low, high) * self.pause)

    def timed(self, kind: str, work: Callable[[], Any]) -> Any:
        """Run one action; a stale edit is a refusal, anything else raised an error."""
        figures = self.figures[kind]
        started = time.perf_counter()
        try:
            result = work()
        except StaleEditError as refusal:
            # Answered, as a person is answered: counted, and timed like any answer.
            figures.ms.append((time.perf_counter() - started) * 1000)
            figures.refusals += 1
            if len(figures.refused) < 3:
                figures.refused.append(_one_line(refusal))
            return None
        except Exception as error:  # every failure is counted and shown, none is fatal
            figures.errors += 1
            if len(figures.messages) < 5:
                figures.messages.append(_one_line(error))
            return None
        figures.ms.append((time.perf_counter() - started) * 1000)
        return result

    # -- what a person does -----------------------------------------------------------------

    def search(self) -> None:
        """Type a last name a letter at a time; the desk reads the table at each keystroke."""
        name = self.rng.choice(demo_people.LAST_NAMES).lower()
        typed = name[: self.rng.randint(min(3, len(name)), len(name))]
        for end in range(1, len(typed) + 1):
            query = DeskQuery(search=typed[:end])
            found = self.timed("search", partial(self._table, query))
            if found is not None:
                self.found = found
            time.sleep(self.rng.uniform(0.08, 0.25) * self.pause)

    def _table(self, query: DeskQuery) -> list[int]:
        # As the desk's refresh: fold the search queue, then read the ids and the first page.
        refresh_search(self.db, busy_ok=True)
        with self.db.reading() as session:
            ids = motion_ids(session, query)
            rows_for(session, ids[:PAGE])
        return ids

    def open(self) -> MotionDetail | None:
        motion_id = self._some_motion()
        if motion_id is None:
            return None
        detail: MotionDetail | None = self.timed("open", partial(self._detail, motion_id))
        return detail

    def _detail(self, motion_id: int) -> MotionDetail:
        with self.db.reading() as session:
            return motion_detail(session, motion_id)

    def _some_motion(self) -> int | None:
        if not self.found:
            self.search()
        return self.rng.choice(self.found[:PAGE]) if self.found else None

    def move(self) -> None:
        """Open motions from the last search until one can take a step, fill in the step's
        form and save it at the version the pane showed."""
        for _ in range(10):
            detail = self.open()
            if detail is None:
                continue
            choices = [a for a in detail.actions if not a.blocked_by and a.action in STEP_VALUES]
            if not choices:
                continue
            step = self.rng.choice(choices)
            values = STEP_VALUES[step.action](step, self.rng)
            self.think(0.5, 1.5)  # filling in the form
            changes = self.timed("move", partial(self._advance, detail, step, values))
            self._saved(changes)
            return

    def _advance(self, detail: MotionDetail, step: ActionInfo, values: dict[str, Any]) -> Changes:
        return motion_ops.advance(
            self.db,
            self.actor,
            detail.motion_id,
            step.target,
            reason=f"{step.label} (office load test)",
            values=values,
            expected_version=detail.version,
            action=step.action,
        )

    def decide(self) -> None:
        """Read the queue, pick a few of the oldest of one screening result, decide them."""
        rows: list[QueueRow] | None = self.timed("queue", self._queue)
        if not rows:
            return
        top = rows[:30]
        first = self.rng.choice(top)
        same = [r for r in top if r.screening_result == first.screening_result]
        chosen = self.rng.sample(same, min(len(same), self.rng.randint(1, 5)))
        result = first.screening_result
        decision, code = _DECISIONS.get(result, (Decision.INFO, "RECORD"))
        self.think(1.0, 3.0)  # reading the reasons
        changes = self.timed(
            "decide",
            lambda: decide_motions(
                self.db,
                self.actor,
                [r.id for r in chosen],
                decision,
                reason_code=code,
                expected_versions={r.id: r.version for r in chosen},
            ),
        )
        self._saved(changes)

    def _queue(self) -> list[QueueRow]:
        with self.db.reading() as session:
            return list_queue(session, QueueFilter())

    def bulk_move(self) -> None:
        """Select 200 motions of one stage, preview a bulk action, confirm, apply."""
        if self.rng.random() < 0.5:
            stage: Stage = Stage.CONSENTED
            action: bulk.BulkAction = bulk.MoveToStage(Stage.FILED, {"filed_date": today()}, "file")
        else:
            stage = Stage.SCREENED
            action = bulk.AssignProsecutor(self.rng.choice(demo_people.PROSECUTORS))
        query = DeskQuery(filter=MotionFilter(stages=(stage,)))
        ids = self.timed("filter", lambda: self._table(query))
        if not ids:
            return
        offset = self.rng.randrange(max(1, len(ids) - BULK))
        chosen = ids[offset : offset + BULK]
        shown = self.timed("bulk", lambda: self._preview(chosen, action))
        if shown is None or not shown.changes:
            return
        self.think(1.0, 2.0)  # reading the preview
        figures = self.figures["bulk"]
        preview_ms = figures.ms.pop()
        changes = self.timed(
            "bulk",
            lambda: motion_ops.apply_bulk(
                self.db, self.actor, shown, reason="Bulk action (office load test)"
            ),
        )
        if changes is not None:
            figures.ms[-1] += preview_ms
            # Motions changed by someone else since the preview are left, and named.
            figures.refusals += len(changes.refused)
        self._saved(changes)

    def _preview(self, chosen: list[int], action: bulk.BulkAction) -> bulk.BulkPreview:
        with self.db.reading() as session:
            return bulk.preview(session, chosen, action)

    def export(self) -> None:
        """Export the table as filtered (one stage), as File > Export table does."""
        stage = self.rng.choice([Stage.SCREENED, Stage.CONSENTED, Stage.FILED, Stage.CALENDARED])
        path = self.folder / "motions.xlsx"
        self.timed("export", lambda: self._export(MotionFilter(stages=(stage,)), path))
        path.unlink(missing_ok=True)

    def _export(self, flt: MotionFilter, path: Path) -> int:
        refresh_search(self.db)
        with self.db.reading() as session:
            rows = export_table(session, flt, path, title="Motions")
        audit.record_now(
            self.db, self.actor, audit.EXPORT, "motions table", rows=rows, channel="bench"
        )
        return rows

    def _saved(self, changes: Changes | None) -> None:
        if changes is not None and changes.undo is not None:
            group = changes.undo.group_id
            self.made.extend((motion_id, group) for motion_id in changes.undo.motion_ids)

    def results(self, busy: dict[str, float]) -> dict[str, Any]:
        return {
            "user": self.actor.name,
            "actions": {
                kind: {
                    "ms": f.ms,
                    "errors": f.errors,
                    "refusals": f.refusals,
                    "messages": f.messages,
                    "refused": f.refused,
                }
                for kind, f in self.figures.items()
            },
            "made": self.made,
            "busy": busy,
        }


_DECISIONS: dict[ScreeningResult | None, tuple[Decision, str]] = {
    ScreeningResult.ELIGIBLE: (Decision.CONSENT, "POLICY"),
    ScreeningResult.EXPUNGED_BY_LAW: (Decision.CONSENT, "EXPUNGED-PROCEED"),
    ScreeningResult.INELIGIBLE: (Decision.OPPOSE, "EXCLUDED"),
}


def _weekday_after(day: date, days: int) -> date:
    day = day + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _adjourned(step: ActionInfo, rng: random.Random) -> dict[str, Any]:
    current = step.current.get("court_date")
    base = current if isinstance(current, date) else today()
    return {"court_date": _weekday_after(max(base, today()), rng.randint(14, 45))}


# What a person types into each step's form (steps not listed are not made: screening has
# a dialog of its own, and nobody withdraws motions to test the office's speed).
STEP_VALUES: dict[str, Callable[[ActionInfo, random.Random], dict[str, Any]]] = {
    "verify": lambda step, rng: {},
    "consent": lambda step, rng: {
        "decision_reason_code": "REVIEWED",
        "decision_note": "Reviewed by hand (office load test)",
    },
    "oppose": lambda step, rng: {"decision_reason_code": "NOT-COVERED"},
    "request_info": lambda step, rng: {"decision_reason_code": "RECORD"},
    "file": lambda step, rng: {"filed_date": today(), "filed_part": "AP1"},
    "calendar": lambda step, rng: {
        "court_date": _weekday_after(today(), rng.randint(14, 60)),
        "court_part": rng.choice(("AP1", "SAP")),
    },
    "adjourn": _adjourned,
    "grant": lambda step, rng: {"order_date": today()},
    "deny": lambda step, rng: {"order_date": today()},
    "seal": lambda step, rng: {"sealing_confirmed_date": today()},
    "notify": lambda step, rng: {
        "notification_date": today(),
        "notification_outcome": NotificationOutcome.DELIVERED,
        "notification_method": rng.choice(list(NotificationMethod)),
    },
    "close": lambda step, rng: {},
}


def count_busy_waits(db: Database) -> dict[str, float]:
    """On SQLite: how often, and how long in all, this process waited for another one's
    write lock (a BEGIN IMMEDIATE slower than BUSY_MS; SQLite's busy_timeout waits, so a
    wait is no error unless it runs out). Filled in as the process works."""
    busy = {"waits": 0, "seconds": 0.0, "longest_ms": 0.0}
    if not db.is_sqlite:
        return busy

    @event.listens_for(db.engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            conn.info["begun"] = time.perf_counter()

    @event.listens_for(db.engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            ms = (time.perf_counter() - conn.info.pop("begun")) * 1000
            if ms > BUSY_MS:
                busy["waits"] += 1
                busy["seconds"] += ms / 1000
                busy["longest_ms"] = max(busy["longest_ms"], ms)

    return busy


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return f"{type(error).__name__}: {lines[0][:300]}"


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    db = open_database(config["url"], migrate=False, daily_backup=False)
    busy = count_busy_waits(db)
    person = Person(db, config["user"], random.Random(config["seed"]), config["pause"])
    try:
        person.work_until(Path(config["stop"]))
    except BaseException:
        traceback.print_exc()
        raise
    finally:
        db.dispose()
        shutil.rmtree(person.folder, ignore_errors=True)
        Path(config["out"]).write_text(json.dumps(person.results(busy)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
