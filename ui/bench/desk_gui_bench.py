"""The Qt half of `casetracker bench desk`: run in a child process, prints one JSON line.

--bare   import the app's libraries and show an empty window (the start-up baseline)
--proxy  a plain QSortFilterProxyModel over every row (the search and sort baseline)
default  the desk itself: first rows, search per keystroke, sort per column, a bulk move,
         with a 10 ms heartbeat timer measuring the longest GUI-thread stall
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def bare(launched: float) -> dict[str, Any]:
    import sqlalchemy  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    import casetracker.domain.models  # noqa: F401

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.repaint()
    return {"first_rows_s": time.time() - launched, "peak_rss_mb": _rss_mb()}


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self.last) * 1000 - 10)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return max(self.worst, 0.0)


def _wait(signal: Any, timeout_ms: int = 600_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def _queries(db: Any) -> list[str]:
    """Realistic searches from the data itself: common surnames, a partial docket, a
    partial summons, partial NYSIDs, and a broad two-letter query."""
    from sqlalchemy import func, select

    from casetracker.domain.models import Case, Person

    with db.reading() as session:
        surnames = session.scalars(
            select(Person.last_name)
            .group_by(Person.last_name)
            .order_by(func.count().desc())
            .limit(3)
        ).all()
        rare = session.scalars(
            select(Person.last_name).group_by(Person.last_name).order_by(func.count()).limit(1)
        ).all()
        dockets = session.scalars(
            select(Case.docket).where(Case.docket.is_not(None)).order_by(Case.id).limit(2)
        ).all()
        summons = session.scalars(
            select(Case.summons_number).where(Case.summons_number.is_not(None)).limit(1)
        ).all()
        nysids = session.scalars(
            select(Person.nysid).where(Person.nysid.is_not(None)).order_by(Person.id).limit(2)
        ).all()
    queries = [s.lower() for s in surnames] + [r.lower() for r in rare]
    queries += [d[:10].lower() for d in dockets if d] + [s[:7] for s in summons if s]
    queries += [n[:7] for n in nysids if n] + ["ma"]
    return queries


def desk(launched: float, db_url: str, bulk_count: int) -> dict[str, Any]:
    from ui.app import make_application

    app = make_application()
    from casetracker.storage.db import open_database
    from ui.main_window import MainWindow

    db = open_database(db_url, daily_backup=False)  # as run_gui: the backup waits
    window = MainWindow(db)
    window.show()
    _wait(window.rows_shown)
    app.processEvents()
    window.table.viewport().repaint()
    first_rows = time.time() - launched

    heartbeat = Heartbeat()
    stalls: dict[str, float] = {}
    queries = _queries(db)
    window.filters._timer.timeout.disconnect()  # typing is driven by hand below

    def shown(action: Any) -> float:
        start = time.perf_counter()
        action()
        _wait(window.rows_shown)
        window.table.viewport().repaint()
        return (time.perf_counter() - start) * 1000

    heartbeat.start()
    keystrokes: list[tuple[str, float]] = []
    for query in queries:
        for end in range(1, len(query) + 1):
            window.filters.search.setText(query[:end])
            keystrokes.append((query[:end], shown(window.refresh)))
        window.filters.search.clear()
    stalls["search"] = heartbeat.stop()
    window.refresh()
    _wait(window.rows_shown)

    from ui.motion_table_model import COLUMNS

    heartbeat.start()
    sorts: dict[str, float] = {}
    for column, (_key, title) in enumerate(COLUMNS):
        sorts[title] = shown(lambda c=column: window.model.sort(c))
    window.model.sort(0)
    _wait(window.rows_shown)
    stalls["sort"] = heartbeat.stop()

    from casetracker.domain.enums import Stage
    from casetracker.services.bulk import MoveToStage
    from casetracker.services.desk import DeskQuery, motion_ids
    from casetracker.services.queries import MotionFilter

    with db.reading() as session:
        ids = motion_ids(session, DeskQuery(filter=MotionFilter(stages=(Stage.SCREENED,))))
    ids = ids[:bulk_count]
    window.bulk.confirm = lambda *_args: True
    # Motions not screened eligible are asked about apart: consent to them too, with a reason,
    # so that all `bulk_count` are moved as before.
    from ui.bulk_actions import ApartAnswer

    window.bulk.ask_apart = lambda *_args: ApartAnswer("benchmark bulk move")
    heartbeat.start()
    start = time.perf_counter()
    window.bulk.start(ids, MoveToStage(Stage.CONSENTED), "benchmark bulk move")
    _wait(window.bulk.finished)
    bulk_s = time.perf_counter() - start
    start = time.perf_counter()
    window.bulk.stack.undo()
    _wait(window.bulk.finished)
    undo_s = time.perf_counter() - start
    stalls["bulk"] = heartbeat.stop()

    # Another process changes a motion: the window notices it (PRAGMA data_version on SQLite,
    # a NOTIFY on PostgreSQL; asked once a second) and re-reads what it shows; the GUI thread
    # must not stall meanwhile.
    import subprocess

    main = Path(__file__).resolve().parents[2] / "main.py"
    window.select_motion(ids[0])
    _wait(window.detail_shown)
    start = time.perf_counter()
    other = subprocess.Popen(
        [sys.executable, str(main), "advance", str(ids[0]), "withdrawn"]
        + ["--reason", "benchmark change from elsewhere", "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Measured from here: starting the other process is the benchmark's doing, not the desk's.
    heartbeat.start()
    while window.detail.detail is None or window.detail.detail.stage != Stage.WITHDRAWN:
        app.processEvents()
        time.sleep(0.005)
        if time.perf_counter() - start > 120:
            raise RuntimeError("the change made by another process was never shown")
    elsewhere_s = time.perf_counter() - start
    stalls["elsewhere"] = heartbeat.stop()
    other.wait()

    window.close()
    db.dispose()
    return {
        "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "first_rows_s": first_rows,
        "queries": queries,
        "keystrokes": keystrokes,
        "sorts": sorts,
        "bulk_count": len(ids),
        "bulk_s": bulk_s,
        "undo_s": undo_s,
        "elsewhere_s": elsewhere_s,
        "stalls": stalls,
        "stall_ms": max(stalls.values()),
        "peak_rss_mb": _rss_mb(),
    }


def proxy(db_url: str) -> dict[str, Any]:
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from casetracker.services.queries import list_motions
    from casetracker.storage.db import open_database
    from ui.motion_table_model import MotionTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = open_database(db_url, daily_backup=False)
    with db.reading() as session:
        rows = list_motions(session)
    model = MotionTableModel()
    model.set_ids([r.id for r in rows], {r.id: r for r in rows})
    view_proxy = QSortFilterProxyModel()
    view_proxy.setSourceModel(model)
    view_proxy.setFilterKeyColumn(-1)
    view_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    view.setModel(view_proxy)
    view.show()
    app.processEvents()
    keystrokes = []
    # Three keystrokes are enough: each one costs seconds over every column.
    for text in ("s", "sm", "smi"):
        start = time.perf_counter()
        view_proxy.setFilterFixedString(text)
        view.viewport().repaint()
        keystrokes.append((time.perf_counter() - start) * 1000)
    view_proxy.setFilterFixedString("")
    start = time.perf_counter()
    view_proxy.sort(0, Qt.SortOrder.DescendingOrder)
    view.viewport().repaint()
    sort_ms = (time.perf_counter() - start) * 1000
    db.dispose()
    return {"keystrokes": keystrokes, "sort_ms": sort_ms, "peak_rss_mb": _rss_mb()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--launched", type=float, required=True)
    parser.add_argument("--db", help="database URL")
    parser.add_argument("--bulk", type=int, default=10_000)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--bare", action="store_true")
    mode.add_argument("--proxy", action="store_true")
    args = parser.parse_args()
    if args.bare:
        result = bare(args.launched)
    elif args.proxy:
        result = proxy(args.db)
    else:
        result = desk(args.launched, args.db, args.bulk)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
