"""Finding the data: the sheet and the header row, past title blocks and 'read me' sheets."""

from __future__ import annotations

from dataclasses import dataclass

from casetracker.importing.mapping import IDENTIFIER_FIELDS, NAME_FIELDS, guess_field
from casetracker.importing.reader import Row, SourceFile

# Titles, notes and blank rows above the header rarely run past a screenful.
HEADER_SEARCH_ROWS = 40
MAX_SHEETS_SEARCHED = 30


@dataclass(frozen=True)
class Location:
    sheet: str
    header_index: int  # index into the sheet's rows
    score: int


def header_score(row: Row) -> int:
    found = {guess_field(cell) for cell in row if isinstance(cell, str) and cell.strip()}
    found.discard(None)
    score = len(found)
    # The three required fields weigh most: a header is the row that names them.
    if found & set(IDENTIFIER_FIELDS):
        score += 3
    if found & set(NAME_FIELDS):
        score += 2
    if "charge" in found:
        score += 2
    return score


def find_header(rows: list[Row]) -> tuple[int, int]:
    """(row index, score) of the likeliest header row; (first non-blank row, 0) if none."""
    best_index, best_score = -1, 0
    first_filled = -1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if first_filled < 0 and any(str(c).strip() for c in row if c is not None):
            first_filled = index
        score = header_score(row)
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0:
        return max(first_filled, 0), 0
    return best_index, best_score


def locate(source: SourceFile, sheet: str | None = None) -> Location:
    """The sheet given (or the one whose header looks most like a warrant list) and its header."""
    if sheet is not None:
        rows = source.sheet(sheet).rows
        index, score = find_header(rows)
        return Location(sheet, index, score)
    best: Location | None = None
    for name in source.sheet_names[:MAX_SHEETS_SEARCHED]:
        rows = source.sheet(name).rows
        index, score = find_header(rows)
        if best is None or score > best.score:
            best = Location(name, index, score)
    assert best is not None  # open_source refuses a file without sheets
    return best
