"""What the motion table shows: the ids of the matching motions, in order, and a row cache
filled a page at a time as rows scroll into view (like Anki's browser table). Sorting and
filtering happen in the database; the model only ever holds ids plus the rows seen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from casetracker.domain.workflow import FINAL_STAGES, moves_forward, transitions_from
from casetracker.services.queries import MotionRow

Index = QModelIndex | QPersistentModelIndex
RowLoader = Callable[[Sequence[int]], dict[int, MotionRow]]

# (sort key in casetracker.services.desk.SORT_KEYS, header)
COLUMNS: tuple[tuple[str, str], ...] = (
    # Stage and the next step early, so a narrow screen still shows where each motion is.
    ("person", "Person"),
    ("stage", "Stage"),
    ("next_step", "Next step"),
    ("screening", "Screening"),
    ("reference", "Docket / summons"),
    ("charge", "Charge"),
    ("date_of_birth", "Date of birth"),
    ("nysid", "NYSID"),
    ("county", "County"),
    ("kind", "Kind"),
    ("days_in_stage", "Days in stage"),
    ("prosecutor", "Prosecutor"),
    ("court_date", "Court date"),
)
PAGE = 200
# Rows kept after scrolling; beyond this the cache starts again (memory stays flat).
MAX_CACHED = 20_000


def next_step(row: MotionRow) -> str:
    if row.stage in FINAL_STAGES:
        return ""
    moves = [
        t.label
        for t in transitions_from(row.stage, row.kind)
        if moves_forward(t.action, row.stage, t.target)
    ]
    return moves[0] if moves else ""


def cell_text(row: MotionRow, column: int, now: datetime) -> str:
    key = COLUMNS[column][0]
    if key == "person":
        return row.person_name
    if key == "date_of_birth":
        return row.date_of_birth.isoformat() if row.date_of_birth else ""
    if key == "nysid":
        return row.nysid or ""
    if key == "reference":
        return row.reference
    if key == "charge":
        return row.charge or ""
    if key == "county":
        return row.county.label if row.county else ""
    if key == "kind":
        return row.kind.label
    if key == "stage":
        return row.stage.label
    if key == "screening":
        return row.screening_result.label if row.screening_result else ""
    if key == "days_in_stage":
        entered = row.stage_entered_at
        if entered.tzinfo is None:
            entered = entered.replace(tzinfo=UTC)
        return str(max((now - entered).days, 0))
    if key == "prosecutor":
        return row.assigned_prosecutor or ""
    if key == "court_date":
        return row.court_date.isoformat() if row.court_date else ""
    return next_step(row)


class MotionTableModel(QAbstractTableModel):
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2
    # The view asked to sort: (column key, descending). The window runs the query.
    sort_requested = Signal(str, bool)

    def __init__(self, loader: RowLoader | None = None) -> None:
        super().__init__()
        self._loader = loader
        self.ids: list[int] = []
        self._cache: dict[int, MotionRow] = {}
        self._now = datetime.now(UTC)
        self.sort_column = 0
        self.sort_descending = False

    def set_loader(self, loader: RowLoader) -> None:
        self._loader = loader

    def set_ids(self, ids: list[int], first_rows: dict[int, MotionRow] | None = None) -> None:
        """Show these motions; the rows given (read with the ids) replace every cached row."""
        self.beginResetModel()
        self.ids = ids
        self._cache = dict(first_rows or {})
        self._now = datetime.now(UTC)
        self.endResetModel()

    def motion_id(self, row: int) -> int:
        return self.ids[row]

    def row_of(self, motion_id: int) -> int:
        # A scan in C, stopping at the motion: a map of 100,000 ids would cost 10-60 ms to
        # build after every answer, where the current row is usually near the top.
        try:
            return self.ids.index(motion_id)
        except ValueError:
            return -1

    def rows_of(self, motion_ids: Sequence[int]) -> dict[int, int]:
        """The rows of these motions that are shown, by id: one pass over the ids for many
        (the reselection of up to 500 after a refresh), not a scan for each."""
        if len(motion_ids) <= 4:
            found = {motion_id: self.row_of(motion_id) for motion_id in motion_ids}
            return {motion_id: row for motion_id, row in found.items() if row >= 0}
        wanted = set(motion_ids)
        return {motion_id: row for row, motion_id in enumerate(self.ids) if motion_id in wanted}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        motion_id = self.ids[index.row()]
        if role == self.ID_ROLE:
            return motion_id
        if role not in (Qt.ItemDataRole.DisplayRole, self.ROW_ROLE, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == self.ROW_ROLE:
            return row
        return cell_text(row, index.column(), self._now)

    def _row(self, position: int) -> MotionRow | None:
        motion_id = self.ids[position]
        row = self._cache.get(motion_id)
        if row is None and self._loader is not None:
            # A page around the row asked for: one query per screenful while scrolling.
            start = max(0, position - PAGE // 4)
            page = [i for i in self.ids[start : start + PAGE] if i not in self._cache]
            if len(self._cache) > MAX_CACHED:
                self._cache.clear()
            self._cache.update(self._loader(page))
            row = self._cache.get(motion_id)
        return row

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_column = column
        self.sort_descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(COLUMNS[column][0], self.sort_descending)
