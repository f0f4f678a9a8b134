"""What the queue table shows: one motion waiting for a decision per row, oldest first."""

from __future__ import annotations

from casetracker.decisions.queue import QueueRow
from casetracker.domain.enums import ScreeningResult
from ui.row_table_model import RowTableModel

COLUMNS = ("Waiting", "Person", "Docket / summons", "Charge", "County", "Kind", "Screening", "Why")
WHY = COLUMNS.index("Why")


def queue_cells(row: QueueRow) -> tuple[str, ...]:
    return (
        f"{row.waiting_days} d",
        row.person_name,
        row.reference,
        row.charge or "",
        row.county.label if row.county else "",
        row.kind.label,
        row.screening_result.label if row.screening_result else "Not screened",
        row.first_reason,
    )


def queue_tooltip(row: QueueRow, column: int) -> str | None:
    return row.reasons_text if column == WHY else None


class QueueTableModel(RowTableModel[QueueRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, queue_cells, queue_tooltip)

    def eligible_rows(self) -> list[QueueRow]:
        return [r for r in self.rows if r.screening_result == ScreeningResult.ELIGIBLE]
