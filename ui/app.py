"""Start the window: logging, the exception hook, the database, then the main window."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

# The core first, then Qt: PySide6 watches every import made after it is loaded (it reads
# each module's source, looking for its __feature__ switches), about a tenth of the
# window's start-up when the services, SQLAlchemy and the models come after it. The modules
# are the ones the window needs for its first rows; importing them here costs nothing extra.
# The rest (court lists, screening, papers, reports, the dashboard) load when first used:
# loading them all made the launch about a fifth slower (`bench desk`).
import casetracker.services.desk
import casetracker.services.motion_detail
import casetracker.services.motion_ops
import casetracker.storage.watch  # noqa: F401

# isort: split
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from casetracker import __version__
from casetracker.accounts.permissions import accounts_exist
from casetracker.domain.errors import CasetrackerError
from casetracker.logsetup import setup_logging
from casetracker.services.identity import set_signed_in
from casetracker.storage.db import Database, open_database
from casetracker.storage.health import (
    check_at_start_is_quick,
    check_sqlite,
    damaged_message,
    is_damage,
)

if TYPE_CHECKING:
    # Accounts (and argon2 with them) load only when the database has any.
    from casetracker.accounts.store import SignedIn

log = logging.getLogger(__name__)


def install_exception_hook() -> None:
    """PySide6 prints an uncaught exception and carries on; log it and tell the user instead."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.error("uncaught exception", exc_info=(kind, error, tb))
        if isinstance(error, CasetrackerError):
            text = str(error)
        elif is_damage(error):
            text = damaged_message()
        else:
            text = (
                "Something went wrong. Your saved work is safe; the last action may not "
                f"have been saved.\n\nDetails are in the log file:\n{setup_logging()}"
            )
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "casetracker", text)

    sys.excepthook = hook


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("casetracker")
    QCoreApplication.setApplicationName("casetracker")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    app.setApplicationDisplayName("Case Tracker")
    return app


def run_gui(db_url: str | None) -> int:
    setup_logging()
    # Ctrl+C in the terminal should end the app, not be swallowed by Qt's event loop.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    app = make_application()
    install_exception_hook()
    try:
        # The day's backup waits until the window is open: on a big office database it takes
        # seconds, and nobody should wait for it to start work.
        db = open_database(db_url, daily_backup=False)
    except CasetrackerError as error:
        QMessageBox.critical(None, "casetracker: cannot open the database", str(error))
        return 2
    path = db.sqlite_path
    background_check = False
    if path is not None:
        # A damaged file is noticed before anyone works in it; a big one is checked while
        # the window is already open (storage.health).
        if check_at_start_is_quick(path):
            problems = check_sqlite(path)
            if problems:
                log.error("database failed its check at start: %s", problems[:3])
                db.dispose()
                QMessageBox.critical(None, "casetracker: damaged database", damaged_message(path))
                return 2
        else:
            background_check = True
    who = sign_in_at_start(db)
    if who is False:
        db.dispose()
        return 0
    from ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    if background_check and path is not None:
        _check_in_background(window, path)
    _backup_in_background(window, db)
    code = app.exec()
    if who is not None:
        from casetracker.accounts.store import sign_out

        sign_out(db, who, channel="window")
    db.dispose()
    return int(code)


def sign_in_at_start(db: Database) -> SignedIn | None | Literal[False]:
    """The sign-in dialog, when the database has accounts: who signed in, None for a
    single-user database, False when the person gave up."""
    with db.reading() as session:
        if not accounts_exist(session):
            return None
    from PySide6.QtWidgets import QDialog

    from ui.accounts.sign_in import SignInDialog

    dialog = SignInDialog(db)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signed_in is None:
        return False
    set_signed_in(dialog.signed_in.name, dialog.signed_in.role)
    return dialog.signed_in


def _backup_in_background(window: Any, db: Database) -> None:
    """The daily backup (storage.backup), made while the user works; a damaged database it
    finds is reported as at start."""
    from casetracker.storage.backup import run_daily_backup

    def work(_control: Any) -> object:
        return run_daily_backup(db)

    window.run_job("Daily backup", work, lambda _made: None, dialog=False)


def _check_in_background(window: Any, path: Path) -> None:
    """The full check of a big database, while the user works; a damaged one is reported."""

    def work(_control: Any) -> list[str]:
        return check_sqlite(path, full=True)

    def done(problems: object) -> None:
        if isinstance(problems, list) and problems:
            log.error("database failed its background check: %s", problems[:3])
            QMessageBox.critical(window, "casetracker: damaged database", damaged_message(path))

    window.run_job("Checking the database", work, done, dialog=False)
