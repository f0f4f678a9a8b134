"""Screenshots of the desk on demo data, for the README: the main window, the detail pane and
the intake form. Runs offscreen (or under Xvfb) on a throwaway database.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _wait(signal: object, timeout_ms: int = 10_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _settle(app: object, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = tempfile.mkdtemp(prefix="casetracker-shots-")
    os.environ["CASETRACKER_DATA_DIR"] = work
    os.environ.setdefault("CASETRACKER_USER", "intake.demo")

    from casetracker.devtools.demo import generate_demo
    from casetracker.storage.db import open_database
    from ui.app import make_application

    app = make_application()
    # A fresh window as a new user sees it: not this machine's remembered layout.
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, work)
    db = open_database(f"sqlite:///{Path(work) / 'demo.sqlite'}")
    with db.unit_of_work() as session:
        for _ in generate_demo(session, people=2000, seed=2018):
            pass
    from ui.main_window import MainWindow

    window = MainWindow(db)
    window.resize(1500, 860)
    window.show()
    _wait(window.rows_shown)
    window.splitter.setSizes([930, 570])
    window.table.selectRow(2)
    _wait(window.detail_shown)
    _settle(app)
    window.grab().save(str(out / "main-window.png"))
    # The sizes offices' screens have: nothing may be cut at either.
    for width, height in ((1280, 800), (1920, 1080)):
        window.resize(width, height)
        window.splitter.setSizes([int(width * 0.62), int(width * 0.38)])
        _settle(app, 10)
        window.grab().save(str(out / f"desk-{width}x{height}.png"))
    window.resize(1500, 860)
    window.splitter.setSizes([930, 570])
    _settle(app)

    window.filters.search.setText("garcia")
    _wait(window.rows_shown)
    window.table.selectRow(0)
    _wait(window.detail_shown)
    _settle(app)
    window.detail.grab().save(str(out / "detail-pane.png"))

    window.open_intake()
    form = window.intake_form
    form.defense_org.setText("Legal Aid Society")
    row = window.model.index(0, 0).data(window.model.ROW_ROLE)
    form.last.setText(row.last_name)
    form.first.setText(row.first_name)
    form.dob.setText(row.date_of_birth.isoformat() if row.date_of_birth else "")
    form._look_up()
    _wait(form.lookup.answered)
    _settle(app)
    form.grab().save(str(out / "intake-form.png"))
    form.close()
    window.close()
    db.dispose()
    print(f"Screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
