"""The main window: the welcome page on an empty database, otherwise the desk (search and
filters, the motion table, the selected motion's details) with bulk actions and undo."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.sealed import hides_sealed
from casetracker.decisions.reason_codes import ReasonCodeRow, list_reason_codes
from casetracker.domain.errors import CasetrackerError
from casetracker.domain.words import counted
from casetracker.domain.workflow import decision_of
from casetracker.operations import Actor, Changes
from casetracker.services.desk import (
    DeskQuery,
    community_events,
    court_list_titles,
    motion_ids,
    prosecutors,
    rows_for,
)
from casetracker.services.identity import current_role, current_user
from casetracker.services.motion_detail import ActionInfo, MotionDetail, motion_detail
from casetracker.services.motion_ops import NextStep, advance
from casetracker.services.queries import MotionFilter, MotionRow
from casetracker.services.search import pending_count, refresh_search, refresh_search_index
from casetracker.storage.db import Database, plain_name
from casetracker.storage.watch import ChangeWatcher, watcher_for
from ui.bulk_actions import BulkController
from ui.desk_table import (
    install_column_menu,
    install_row_menu,
    restore_columns,
    save_columns,
    size_to_content,
)
from ui.detail_pane import DetailPane
from ui.features import installed_features
from ui.filter_bar import Choices, FilterBar
from ui.job_runner import JobRunner
from ui.jobs import Job, JobControl
from ui.latest_query import LatestQuery
from ui.motion_table_model import COLUMNS, PAGE, MotionTableModel
from ui.responsiveness import collect_rarely, keep_collections_short
from ui.short_write import run_short_write
from ui.transition_dialog import TransitionDialog
from ui.welcome import WelcomePage

# How often the window asks whether someone else changed the database.
WATCH_INTERVAL_MS = 1000
log = logging.getLogger(__name__)

# Re-folding this many queued motions takes seconds: do it first, with a progress dialog.
_INDEX_WITH_PROGRESS = 5000


@dataclass(frozen=True)
class TableAnswer:
    query: DeskQuery
    ids: list[int]
    first_rows: dict[int, MotionRow]
    empty_database: bool


class MainWindow(QMainWindow):
    # The table shows the answer to the latest query (also: first rows after launch).
    rows_shown = Signal()
    detail_shown = Signal()
    # What an action (here or elsewhere) changed: every open view listens to this one signal
    # and refreshes what it shows of those records (casetracker.operations.Changes).
    changes_applied = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        collect_rarely()
        self.db = db
        # Who acts in this window (accounts replace it with the signed-in user).
        self.actor = Actor(current_user(), current_role())
        # Failures go through _job_failed so a replaced show_error (tests) is honoured.
        self.jobs = JobRunner(self, self._job_failed)
        self.prosecutor_names: list[str] = []
        self.court_list_names: list[tuple[int, str]] = []
        self.event_names: list[tuple[int, str]] = []
        self.shown_query = DeskQuery()
        self.setWindowTitle("Case Tracker")
        self.resize(1280, 800)
        # Dialogs as attributes, so tests replace them.
        self.ask_transition: Callable[[ActionInfo, str | None], tuple[str, dict[str, Any]] | None]
        self.ask_transition = self._ask_transition
        # What the user typed in the move form, kept while a refused move is asked again.
        self.draft: tuple[str, dict[str, Any]] | None = None
        # The steps the last transition dialog said to take right after its own.
        self.next_steps: tuple[NextStep, ...] = ()
        self.screen_next = False

        # Sorting and filter signals fire while the widgets are built; query only once started.
        self._started = False
        self._select_when_shown: int | None = None
        self.table_query = LatestQuery(self)
        self.table_query.answered.connect(self._show_answer)
        self.table_query.failed.connect(self.show_error)
        self.table_query.busy_changed.connect(self._busy)
        self.detail_query = LatestQuery(self)
        self.detail_query.answered.connect(self._show_detail)
        self.detail_query.failed.connect(self.show_error)

        self.welcome = WelcomePage()
        self.welcome.load_demo_requested.connect(self.load_demo)
        self.welcome.import_requested.connect(self.start_import)
        self.filters = FilterBar()
        self.filters.changed.connect(self.refresh)
        # The count of what is shown, always visible above the table (tests and features
        # read it by this name).
        self.count_label = self.filters.count
        self.model = MotionTableModel(self._load_page)
        self.model.sort_requested.connect(self.refresh)
        self.table = QTableView()
        self.table.setAccessibleName("Motions")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Fixed row heights: a reset to 100,000 rows must not measure each row.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(self._open_current)
        self.detail = DetailPane()
        self.detail.action_chosen.connect(self.perform_action)
        self.detail.motion_link_clicked.connect(self.select_motion)
        install_column_menu(self.table)
        self.columns_unsized = True
        install_row_menu(self.table, self.detail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        desk = QWidget()
        column = QVBoxLayout(desk)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filters)
        column.addWidget(self.splitter, 1)
        self.desk = desk
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(desk)
        self.setCentralWidget(self.stack)
        self.setTabOrder(self.filters.search, self.filters.stage)
        self.setTabOrder(self.filters.overdue, self.table)
        self.setTabOrder(self.table, self.detail.text)
        self._restore_settings()
        # The first rows are asked for now, while the menus and features are built: the
        # query runs on a worker thread, and its answer is shown once the window is.
        self.start()

        self.changes_applied.connect(self._refresh_for)
        self.bulk = BulkController(self)
        self.bulk.finished.connect(self.statusBar().showMessage)
        self.statusBar().showMessage(plain_name(db.url))
        self._make_menus()
        keep_collections_short()
        self.watcher: ChangeWatcher | None = None
        try:
            self.watcher = watcher_for(db.url)
        except Exception:
            log.warning("cannot watch for changes from elsewhere", exc_info=True)
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self._watch)
        self.watch_timer.start()

    # -- menus -----------------------------------------------------------------------------

    def _make_menus(self) -> None:
        # Features add their actions to these menus by name (see ui/features.py).
        self.menus: dict[str, QMenu] = {
            name: self.menuBar().addMenu(title)
            for name, title in (
                ("file", "&File"),
                ("edit", "&Edit"),
                ("view", "&View"),
                ("motions", "&Motions"),
                ("reports", "&Reports"),
                ("help", "&Help"),
            )
        }
        self.intake_action = self._action("&New intake…", self.open_intake, "Ctrl+N")
        self.import_action = self._action("&Import spreadsheet…", self.start_import, "Ctrl+I")
        self.demo_action = self._action("Load &demo data", self.load_demo)
        for action in (self.intake_action, self.import_action, self.demo_action):
            self.menus["file"].addAction(action)
        edit = self.menus["edit"]
        edit.addAction(self.bulk.undo_action)
        edit.addAction(self.bulk.redo_action)
        edit.addSeparator()
        edit.addAction(self._action("&Find", self.focus_search, QKeySequence.StandardKey.Find))
        view = self.menus["view"]
        self.dashboard_action = self._action("&Dashboard", self.open_dashboard, "Ctrl+D")
        view.addAction(self.dashboard_action)
        view.addAction(self._action("&Refresh", self.refresh_all, QKeySequence.StandardKey.Refresh))
        motions = self.menus["motions"]
        motions.addAction(self._action("&Assign prosecutor…", self.bulk.assign_prosecutor))
        motions.addAction(self._action("&Move to stage…", self.bulk.move_to_stage))
        motions.addAction(self._action("Add to &court list…", self.bulk.add_to_court_list))
        for feature in installed_features():
            feature.install(self)
        self.menus["file"].addSeparator()
        self.menus["file"].addAction(
            self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        )

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    # -- the table -------------------------------------------------------------------------

    def start(self) -> None:
        """First rows as fast as possible; a large unindexed backlog is folded first."""
        self._started = True
        with self.db.reading() as session:
            pending = pending_count(session)
        if pending >= _INDEX_WITH_PROGRESS:

            def index(control: JobControl) -> int:
                with self.db.unit_of_work() as session:
                    return refresh_search_index(
                        session,
                        lambda done, total: control.report(
                            done, total, f"Preparing search: {done:,} of {total:,} motions"
                        ),
                    )

            self.run_job("Preparing search", index, self._indexed)
        else:
            self.refresh()
        self.run_job("Reading lists", self._read_choices, self._show_choices, dialog=False)

    def _indexed(self, _count: object) -> None:
        self.refresh()

    def current_query(self) -> DeskQuery:
        column = self.model.sort_column
        return DeskQuery(
            # A role without the sealed-records permission sees sealed motions in counts only.
            filter=replace(self.filters.motion_filter(), hide_sealed=hides_sealed(self.actor)),
            search=self.filters.search_text(),
            sort=COLUMNS[column][0],
            descending=self.model.sort_descending,
        )

    def current_motion_filter(self) -> tuple[MotionFilter, str]:
        """The filter and search text of what the table shows (for exports)."""
        return self.shown_query.filter, self.shown_query.search

    def refresh(self) -> None:
        if not self._started:
            return
        query = self.current_query()
        db = self.db
        # The same view read again keeps its scroll: the rows then in sight come with the
        # answer, so showing it reads nothing on the GUI thread.
        top = self.table.rowAt(0) if query == self.shown_query else -1
        shown = range(max(top, 0), max(top, 0) + PAGE) if top > 0 else range(0)

        def run() -> TableAnswer:
            refresh_search(db, busy_ok=True)
            with db.reading() as session:
                ids = motion_ids(session, query)
                first = rows_for(session, ids[:PAGE])
                if shown:
                    first.update(rows_for(session, ids[shown.start : shown.stop]))
                empty = False
                if not ids and query == DeskQuery(sort=query.sort, descending=query.descending):
                    empty = True
            return TableAnswer(query, ids, first, empty)

        self.table_query.request(run)

    def _show_answer(self, answer: object) -> None:
        assert isinstance(answer, TableAnswer)
        selected = self.selected_motion_ids()
        current = self._current_id()
        # The same view read again (after a change here or elsewhere) keeps its scroll.
        same = answer.query == self.shown_query
        scroll = (self.table.verticalScrollBar().value(), self.table.horizontalScrollBar().value())
        self.shown_query = answer.query
        self.model.set_ids(answer.ids, answer.first_rows)
        if self.columns_unsized and answer.ids:
            self.columns_unsized = False
            # After the view has laid out the new rows: before that it measures headers only.
            QTimer.singleShot(0, lambda: size_to_content(self.table))
        self.stack.setCurrentWidget(self.welcome if answer.empty_database else self.desk)
        # Nothing to move, report or chart until there are motions: say so by disabling.
        for needs_motions in (self.menus["motions"], self.menus["reports"]):
            needs_motions.setEnabled(not answer.empty_database)
        self.dashboard_action.setEnabled(not answer.empty_database)
        self.filters.show_count(len(answer.ids))
        self._reselect(selected, current)
        wanted, self._select_when_shown = self._select_when_shown, None
        if wanted is not None and self.model.row_of(wanted) >= 0:
            self.select_motion(wanted)
        if same:
            self.table.verticalScrollBar().setValue(scroll[0])
            self.table.horizontalScrollBar().setValue(scroll[1])
        self.rows_shown.emit()

    def _reselect(self, selected: list[int], current: int | None) -> None:
        if current is None:
            return
        row = self.model.row_of(current)
        if row < 0:
            self.detail.show_nothing()
            return
        selection = self.table.selectionModel()
        self.table.setCurrentIndex(self.model.index(row, 0))
        others = [motion_id for motion_id in selected[:500] if motion_id != current]
        for other in self.model.rows_of(others).values():
            selection.select(
                self.model.index(other, 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )

    def _busy(self, busy: bool) -> None:
        self.filters.show_count(len(self.model.ids), busy)

    def _load_page(self, ids: Sequence[int]) -> dict[int, MotionRow]:
        with self.db.reading() as session:
            return rows_for(session, ids)

    def selected_motion_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.motion_id(row) for row in rows if row < len(self.model.ids)]

    def _current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.ids):
            return None
        return self.model.motion_id(index.row())

    def select_motion(self, motion_id: int) -> None:
        row = self.model.row_of(motion_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.load_detail(motion_id)

    def apply_changes(self, changes: Changes) -> None:
        """Tell every open view what an action changed; the status bar says what it was, and
        an action that can be undone goes on the undo stack by its name."""
        if changes.local:
            if changes.summary:
                self.statusBar().showMessage(changes.summary)
            if changes.undo is not None:
                self.bulk.push(changes.undo)
            # This action's own commit is news to the watcher; the views are being told now.
            # Anything else committed meanwhile is folded into this refresh.
            if self._changed_elsewhere() and not changes.everything:
                changes = replace(changes, everything=True)
        self.changes_applied.emit(changes)

    def refresh_all(self) -> None:
        """F5: every open view re-reads everything it shows (the queue and court lists too)."""
        self.changes_applied.emit(Changes(everything=True, local=False))

    def _watch(self) -> None:
        """About once a second: has another process or user committed a change? Then every
        view re-reads what it shows, keeping selection, scroll and anything being typed."""
        if self._changed_elsewhere():
            self.changes_applied.emit(Changes(everything=True, local=False))

    def _changed_elsewhere(self) -> bool:
        if self.watcher is None:
            return False
        try:
            return self.watcher.changed()
        except Exception:
            # The server went away: stop asking (the next action will say what is wrong).
            log.warning("stopped watching for changes from elsewhere", exc_info=True)
            self.watch_timer.stop()
            self.watcher = None
            return False

    def motions_changed(self, ids: Sequence[int]) -> None:
        self.apply_changes(Changes.of_motions(ids))

    def _refresh_for(self, changes: Changes) -> None:
        """Re-run the query (order may change) and the detail of the current motion, both on
        worker threads. The answer brings the rows shown with it and replaces every cached
        row, so nothing is forgotten here: doing so made the view re-read the rows in sight
        on the GUI thread, and a pass over 100,000 ids stalled it for 100-200 ms."""
        self.refresh()
        current = self._current_id()
        if current is not None:
            self.load_detail(current)

    # -- the detail pane -------------------------------------------------------------------

    def _current_changed(self, *_args: Any) -> None:
        motion_id = self._current_id()
        if motion_id is None:
            self.detail.show_nothing()
        elif self.detail.detail is None or self.detail.detail.motion_id != motion_id:
            self.load_detail(motion_id)

    def _open_current(self, *_args: Any) -> None:
        motion_id = self._current_id()
        if motion_id is not None:
            self.load_detail(motion_id)
            self.detail.text.setFocus()

    def load_detail(self, motion_id: int) -> None:
        db = self.db
        hide = hides_sealed(self.actor)

        def read() -> MotionDetail:
            with db.reading() as session:
                return motion_detail(session, motion_id, hide_sealed=hide)

        self.detail_query.request(read)

    def _show_detail(self, detail: object) -> None:
        assert isinstance(detail, MotionDetail)
        shown = self.detail.detail
        bar = self.detail.text.verticalScrollBar()
        scroll = bar.value()
        self.detail.show_detail(detail)
        if shown is not None and shown.motion_id == detail.motion_id:
            bar.setValue(scroll)
        self.detail_shown.emit()

    def _ask_transition(
        self, action: ActionInfo, problem: str | None
    ) -> tuple[str, dict[str, Any]] | None:
        codes: list[ReasonCodeRow] = []
        decision = decision_of(action.action)
        if decision is not None:
            with self.db.reading() as session:
                codes = list_reason_codes(session, decision)
        dialog = TransitionDialog(action, self, codes)
        if problem and self.draft is not None:
            dialog.fill(*self.draft)
            dialog.fill_next(self.next_steps)
        if problem:
            dialog.show_refusal(problem)
        if dialog.exec() != TransitionDialog.DialogCode.Accepted:
            return None
        self.next_steps = dialog.next_steps()
        self.screen_next = dialog.wants_screening_next()
        return dialog.reason_text(), dialog.values()

    def perform_action(self, action: ActionInfo) -> None:
        """Ask what the move needs, try it, and on a refusal ask again with the reason shown
        and what was typed kept. If the motion changed meanwhile, say who changed what and
        offer the same step on the motion as it is now (if it can still take it)."""
        detail = self.detail.detail
        if detail is None:
            return
        screening = getattr(self, "screening", None)
        if action.action == "screen" and screening is not None:
            # The rules decide the result; nobody types one (ui/screening/screen_dialog.py).
            screening.screen_one(detail)
            return
        problem: str | None = None
        self.draft = None
        self.next_steps = ()
        while True:
            # What the dialog says to do next (ask_transition sets them; kept for asking
            # again after a refusal).
            self.screen_next = False
            answer = self.ask_transition(action, problem)
            if answer is None:
                return
            self.draft = answer
            reason, values = answer
            problem = self.try_transition(detail, action, reason, values, self.next_steps)
            if problem is None:
                self.draft = None
                if self.screen_next:
                    self._screen_next(detail.motion_id)
                return
            with self.db.reading() as session:
                fresh = motion_detail(
                    session, detail.motion_id, hide_sealed=hides_sealed(self.actor)
                )
            if fresh.version == detail.version:
                continue
            self._show_detail(fresh)
            changed = _last_change(fresh)
            same = next((a for a in fresh.actions if a.action == action.action), None)
            if same is None or same.blocked_by:
                self.show_error(
                    f"{changed} It is now {fresh.stage.label} and cannot take "
                    f"'{action.label}'; nothing was saved."
                )
                self.draft = None
                return
            detail, action = fresh, same
            problem = f"{changed} What you typed is kept: apply it to the motion as it is now?"

    def _screen_next(self, motion_id: int) -> None:
        """After verifying: the screening of the motion as it is now (its own dialog)."""
        screening = getattr(self, "screening", None)
        if screening is None:
            return
        with self.db.reading() as session:
            fresh = motion_detail(session, motion_id, hide_sealed=hides_sealed(self.actor))
        if any(a.action == "screen" and not a.blocked_by for a in fresh.actions):
            screening.screen_one(fresh)

    def try_transition(
        self,
        detail: MotionDetail,
        action: ActionInfo,
        reason: str,
        values: dict[str, Any],
        then: tuple[NextStep, ...] = (),
    ) -> str | None:
        """Make one move (a quick single-row write), and the steps the user asked to take
        right after it in the same action; returns the refusal, or None when done."""
        try:
            changes = run_short_write(
                self,
                lambda: advance(
                    self.db,
                    self.actor,
                    detail.motion_id,
                    action.target,
                    reason=reason,
                    values=values,
                    expected_version=detail.version,
                    action=action.action,
                    then=then,
                ),
                action.label,
            )
        except CasetrackerError as error:
            return str(error)
        self.apply_changes(changes)
        return None

    # -- other windows ---------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def open_intake(self) -> None:
        from casetracker.records.events import list_events
        from ui.intake_form import IntakeForm

        # Retired events stay in the filters (their motions remain) but are not offered here.
        with self.db.reading() as session:
            current = [(event.id, event.label) for event in list_events(session)]
        form = IntakeForm(self.db, current, self)
        form.saved.connect(self._intake_saved)
        self.intake_form = form
        form.show()

    def _intake_saved(self, result: Any) -> None:
        self.statusBar().showMessage(
            f"Saved intake: {counted(len(result.motion_ids), 'motion')}"
            + (" for a person already on file" if not result.created_person else "")
        )
        # The new motion is the one to work on next: shown selected once the table has it.
        self._select_when_shown = result.motion_ids[-1] if result.motion_ids else None
        self.refresh()

    def open_dashboard(self) -> None:
        # The figures' code loads when the dashboard is first opened, not at start.
        from casetracker.services.dashboard import dashboard

        db = self.db

        def read(control: JobControl) -> Any:
            with db.reading() as session:
                return dashboard(session)

        self.run_job("Reading the dashboard", read, self._show_dashboard)

    def _show_dashboard(self, data: Any) -> None:
        from ui.dashboard_view import DashboardDialog

        self.dashboard_dialog = DashboardDialog(data, self)
        self.dashboard_dialog.show()

    def _read_choices(self, control: JobControl) -> Choices:
        with self.db.reading() as session:
            return Choices(
                prosecutors(session), community_events(session), court_list_titles(session)
            )

    def _show_choices(self, choices: Choices) -> None:
        self.prosecutor_names = choices.prosecutors
        self.event_names = choices.events
        self.court_list_names = choices.court_lists
        self.filters.set_choices(choices)

    # -- jobs ------------------------------------------------------------------------------

    def load_demo(self) -> None:
        from casetracker.devtools.demo import generate_demo

        def work(control: JobControl) -> None:
            with self.db.unit_of_work() as session:
                for done, total in generate_demo(session, people=2000):
                    control.report(done, total, f"Creating fake people: {done:,} of {total:,}")
            with self.db.unit_of_work() as session:
                refresh_search_index(session)

        self.run_job("Loading demo data", work, self._demo_loaded)

    def _demo_loaded(self, _result: object) -> None:
        self.refresh()
        self.run_job("Reading lists", self._read_choices, self._show_choices, dialog=False)

    def start_import(self) -> None:
        QMessageBox.information(self, "Import", "Spreadsheet import is not available yet.")

    def run_job(
        self,
        title: str,
        fn: Any,
        on_success: Any,
        *,
        dialog: bool = True,
        on_failure: Any = None,
    ) -> Job:
        return self.jobs.run(title, fn, on_success, dialog=dialog, on_failure=on_failure)

    def _job_failed(self, message: str) -> None:
        self.show_error(message)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Case Tracker", message)

    # -- settings --------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("desk/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("desk/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        # Without the user's own widths, the first rows shown decide them.
        self.columns_unsized = not restore_columns(self.table)
        # The header state includes a sort indicator, but the first query sorts by person.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("desk/geometry", self.saveGeometry())
        settings.setValue("desk/splitter", self.splitter.saveState())
        save_columns(self.table)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watch_timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
        self.save_settings()
        self.jobs.cancel_all()
        self.table_query.wait()
        self.detail_query.wait()
        super().closeEvent(event)


def _last_change(detail: MotionDetail) -> str:
    """Who changed a motion last, and how, in plain words."""
    if not detail.history:
        return f"{detail.who} was changed after you opened it."
    last = detail.history[-1]
    at = last.at.astimezone() if last.at.tzinfo else last.at
    return (
        f"{detail.who} was changed by {last.user} at {at:%H:%M} after you opened it "
        f"({last.reason})."
    )
