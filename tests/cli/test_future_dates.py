"""Dates of things that already happened (filed, order, sealing confirmed, notified) cannot be
in the future: a typed 2062 for 2026 is refused with one line, and the motion does not move."""

from __future__ import annotations

import json
from datetime import timedelta

from casetracker.domain.clock import today
from tests.cli.test_cli import cli, demo_db, one_line_error

__all__ = ["demo_db"]


def test_a_future_order_date_is_refused_and_nothing_moves(demo_db: str) -> None:
    calendared = json.loads(
        cli("motions", "--json", "--stage", "calendared", "--db", demo_db).stdout
    )
    motion_id = str(calendared[0]["id"])
    ahead = (today() + timedelta(days=3)).isoformat()
    refusal = one_line_error(
        cli(
            "advance",
            motion_id,
            "granted",
            "--order-date",
            ahead,
            "--reason",
            "x",
            "--db",
            demo_db,
        )
    )
    assert "in the future" in refusal and ahead in refusal
    still = json.loads(cli("motions", "--json", "--stage", "calendared", "--db", demo_db).stdout)
    assert motion_id in {str(m["id"]) for m in still}


def test_us_forms_are_accepted_on_the_command_line(demo_db: str) -> None:
    filed = json.loads(cli("motions", "--json", "--stage", "filed", "--db", demo_db).stdout)
    motion_id = str(filed[0]["id"])
    day = today() + timedelta(days=30)
    typed = f"{day.month}/{day.day}/{day.year % 100:02d}"
    ok = cli(
        "advance",
        motion_id,
        "calendared",
        "--court-date",
        typed,
        "--part",
        "AP1",
        "--reason",
        "on the list",
        "--db",
        demo_db,
    )
    assert ok.returncode == 0, ok.stderr
    after = json.loads(cli("motions", "--json", "--stage", "calendared", "--db", demo_db).stdout)
    assert next(m for m in after if str(m["id"]) == motion_id)["court_date"] == day.isoformat()
