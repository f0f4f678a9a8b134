"""Messy fake warrant lists (fake people) for tests and the benchmark, written with openpyxl's
write-only mode: title rows, varied header words, mixed date forms, a LAST, FIRST M column,
bad rows, repeats and a totals row, as real exports have."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

_LAST = [
    "SMITH",
    "JOHNSON",
    "WILLIAMS",
    "BROWN",
    "JONES",
    "GARCIA",
    "MILLER",
    "DAVIS",
    "RODRIGUEZ",
    "MARTINEZ",
    "HERNANDEZ",
    "LOPEZ",
    "GONZALEZ",
    "WILSON",
    "ANDERSON",
    "THOMAS",
    "TAYLOR",
    "MOORE",
    "JACKSON",
    "MARTIN",
    "LEE",
    "PEREZ",
    "THOMPSON",
    "WHITE",
    "HARRIS",
    "SANCHEZ",
    "CLARK",
    "RAMIREZ",
    "LEWIS",
    "ROBINSON",
    "WALKER",
    "YOUNG",
    "ALLEN",
    "KING",
    "WRIGHT",
    "SCOTT",
    "TORRES",
    "NGUYEN",
    "HILL",
    "FLORES",
    "GREEN",
    "ADAMS",
    "NELSON",
    "BAKER",
    "HALL",
    "RIVERA",
    "CAMPBELL",
    "MITCHELL",
    "CARTER",
    "ROBERTS",
    "O'BRIEN",
    "MCDONALD",
    "DE",
    "LA",
    "CRUZ",
]
_FIRST = [
    "JAMES",
    "MARY",
    "ROBERT",
    "PATRICIA",
    "MICHAEL",
    "JENNIFER",
    "WILLIAM",
    "LINDA",
    "DAVID",
    "ELIZABETH",
    "RICHARD",
    "BARBARA",
    "JOSEPH",
    "SUSAN",
    "THOMAS",
    "JESSICA",
    "CHARLES",
    "SARAH",
    "CHRISTOPHER",
    "KAREN",
    "DANIEL",
    "LISA",
    "MATTHEW",
    "NANCY",
    "ANTHONY",
    "BETTY",
    "MARK",
    "MARGARET",
    "DONALD",
    "SANDRA",
    "STEVEN",
    "ASHLEY",
    "JOSE",
    "MARIA",
    "LUIS",
    "ANA",
    "CARLOS",
    "ROSA",
]
_CHARGES = (
    ("PL 221.05", "UNLAWFUL POSSESSION OF MARIHUANA"),
    ("221.05", "Unlawful Poss Marihuana"),
    ("PL221.10(1)", "CRIM POSS MARIHUANA 5TH"),
    ("PL 2210500", "MARIJUANA, POSSESSION 4 & 5"),
    ("PL 240.20", "DISORDERLY CONDUCT"),
    ("AC 16-118", "LITTERING"),
    ("PL 140.05", "TRESPASS"),
)
_BOROUGHS = ("Brooklyn", "BK", "Kings", "K", "Manhattan", "NY", "Bronx", "Queens", "S.I.")
_PARTS = ("SAP-F", "AR-1", "TAP-A", "SUMMONS", "CAP")


@dataclass(frozen=True)
class FakeListStats:
    """What the file holds, for checking an importer's counts against."""

    data_rows: int  # rows below the header, blank and totals rows included
    unique_cases: int
    error_rows: int
    duplicate_rows: int
    blank_rows: int
    totals_rows: int
    people: int


def _text_date(rng: random.Random, day: date) -> object:
    form = rng.randrange(7)
    if form <= 2:
        return day
    if form == 3:
        return f"{day.month}/{day.day}/{day.year}"
    if form == 4:
        return day.isoformat()
    if form == 5:
        return day.strftime("%d-%b-%y").upper()
    return float((day - date(1899, 12, 30)).days)  # a bare serial number


def write_fake_list(path: Path, rows: int, seed: int = 2018) -> FakeListStats:
    rng = random.Random(seed)
    people_pool: list[tuple[str, str, date, str]] = []
    person_count = max(rows * 4 // 5, 1)
    used_nysids: set[str] = set()
    used_names: set[tuple[str, str, date]] = set()
    while len(people_pool) < person_count:
        last = rng.choice(_LAST)
        if rng.random() < 0.5:
            last = f"{last}{rng.choice(_LAST)[:3]}"
        first = rng.choice(_FIRST)
        middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.6 else ""
        dob = date(1950, 1, 1) + timedelta(days=rng.randrange(18_000))
        nysid = f"{rng.randrange(10**8):08d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
        if nysid in used_nysids or (last, first, dob) in used_names:
            continue
        used_nysids.add(nysid)
        used_names.add((last, first, dob))
        people_pool.append((last, f"{first} {middle}".strip(), dob, nysid))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Read me")
    sheet.append(["This workbook lists open summons warrants. Data is on the next sheet."])
    sheet = workbook.create_sheet("Warrants")
    sheet.append([f"OPEN SUMMONS WARRANTS - {rows:,} rows - fake data for testing"])
    sheet.append(["Prepared by the records unit"])
    sheet.append([])
    sheet.append(
        [
            "Docket No.",
            "Defendant (Last, First M)",
            "D.O.B.",
            "NYSID #",
            "Top Charge",
            "Offense Description",
            "Warrant Date",
            "Boro",
            "Court Part",
            "Arrest Dt",
            "Comments",
        ]
    )
    written: list[tuple[str, ...]] = []
    errors = duplicates = blanks = 0
    used_people: set[int] = set()
    for index in range(rows):
        if index and index % 997 == 0:
            sheet.append([])
            blanks += 1
            continue
        roll = rng.random()
        if written and roll < 0.02:
            again = list(rng.choice(written))
            # Repeats come back with different spacing or case, as re-keyed rows do.
            again[0] = again[0].lower() if rng.random() < 0.5 else f" {again[0]} "
            sheet.append(again)
            duplicates += 1
            continue
        who = rng.randrange(len(people_pool))
        last, given, dob, nysid = people_pool[who]
        year = rng.randrange(1995, 2019)
        docket = f"{year}KN{index:06d}"
        charge, description = rng.choice(_CHARGES)
        arrest = date(year, 1, 1) + timedelta(days=rng.randrange(300))
        warrant = arrest + timedelta(days=rng.randrange(30, 400))
        name = f"{last}, {given}"
        if roll < 0.03:
            # A bad row: one required value missing.
            which = rng.randrange(3)
            docket, name, charge = (
                "" if which == 0 else docket,
                "" if which == 1 else name,
                "" if which == 2 else charge,
            )
            errors += 1
        else:
            used_people.add(who)
        row = (
            docket,
            name,
            _text_date(rng, dob),
            nysid if rng.random() < 0.9 else "",
            charge,
            description,
            _text_date(rng, warrant),
            rng.choice(_BOROUGHS),
            rng.choice(_PARTS),
            _text_date(rng, arrest),
            "call back, left msg" if rng.random() < 0.05 else "",
        )
        sheet.append(list(row))
        if roll >= 0.03:
            written.append(tuple(str(c) if not isinstance(c, str) else c for c in row))
    sheet.append([])
    sheet.append(["TOTAL", rows])
    workbook.save(path)
    data_rows = rows + 2
    return FakeListStats(
        data_rows=data_rows,
        unique_cases=len(written),
        error_rows=errors,
        duplicate_rows=duplicates,
        blank_rows=blanks + 1,
        totals_rows=1,
        people=len(used_people),
    )
