"""The kinds of report the Reports menu offers (apart from the dialog, so the menu can be
built without importing the PDF and spreadsheet writers at start-up)."""

from __future__ import annotations

from enum import Enum


class ReportKind(Enum):
    WEEKLY = "weekly"
    COURT_LIST = "court_list"
    DEFENDERS = "defenders"
    TABLE = "table"
