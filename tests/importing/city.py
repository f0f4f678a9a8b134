"""A city-sized list of ordinary names (fake people), with near-duplicates planted in it:
the same person typed twice with a slip (date of birth one digit off, day and month swapped,
a typo in the name, first and last swapped, one NYSID under another name)."""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from casetracker.devtools.fakelist import _FIRST, _LAST

KINDS = ("dob digit", "day month", "name typo", "swapped", "nysid")


@dataclass(frozen=True)
class Planted:
    kind: str
    row: int  # the later row, as the spreadsheet numbers it
    other_row: int


def write_city_list(path: Path, rows: int, planted_each: int = 20, seed: int = 5) -> list[Planted]:
    rng = random.Random(seed)
    lines: list[list[str]] = []
    people: list[tuple[str, str, date, str]] = []
    for _ in range(rows - planted_each * len(KINDS)):
        last = rng.choice(_LAST)
        if rng.random() < 0.3:
            last = f"{last} {rng.choice(_LAST)}"
        first = rng.choice(_FIRST)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(18_000))
        nysid = f"{rng.randrange(10**8):08d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
        people.append((last, first, born, nysid if rng.random() < 0.7 else ""))
    for last, first, born, nysid in people:
        lines.append([f"{last}, {first}", f"{born:%m/%d/%Y}", nysid])
    planted: list[Planted] = []
    chosen = rng.sample(range(len(people)), planted_each * len(KINDS))
    # A date of birth one digit off is a clue only for a name few people share (with thirty
    # namesakes, chance makes such dates): that slip is planted on people of rare names.
    named = Counter((last, first) for last, first, _born, _nysid in people)
    rare = [i for i, (last, first, _b, _n) in enumerate(people) if named[(last, first)] == 1]
    spare = iter(i for i in rng.sample(rare, planted_each * 2) if i not in set(chosen))
    chosen = [
        next(spare) if KINDS[number % len(KINDS)] == "dob digit" else index
        for number, index in enumerate(chosen)
    ]
    for number, index in enumerate(chosen):
        kind = KINDS[number % len(KINDS)]
        last, first, born, nysid = people[index]
        if kind == "dob digit":
            other = born.replace(year=born.year + 1 if born.year % 10 != 9 else born.year - 1)
            line = [f"{last}, {first}", f"{other:%m/%d/%Y}", ""]
        elif kind == "day month":
            if born.day > 12 or born.day == born.month:
                born = born.replace(day=min(born.month + 1, 12))
                lines[index][1] = f"{born:%m/%d/%Y}"
            line = [f"{last}, {first}", f"{born.day:02d}/{born.month:02d}/{born.year}", ""]
        elif kind == "name typo":
            # Two letters swapped; a short name, or one with a doubled letter, gains an S.
            swappable = len(last) > 2 and last[1] != last[2]
            typo = last[0] + last[2] + last[1] + last[3:] if swappable else last + "S"
            line = [f"{typo}, {first}", f"{born:%m/%d/%Y}", ""]
        elif kind == "swapped":
            line = [f"{first}, {last}", f"{born:%m/%d/%Y}", ""]
        else:
            if not nysid:
                nysid = f"{90_000_000 + number:08d}Z"
                lines[index][2] = nysid
            line = ["QUIGLEY-ABERNATHY, ZEBEDIAH", f"{born:%m/%d/%Y}", nysid]
        lines.append(line)
        planted.append(Planted(kind, len(lines) + 1, index + 2))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Docket", "Name", "DOB", "NYSID", "Charge"])
        for number, (name, born_text, nysid) in enumerate(lines):
            writer.writerow([f"2015KN{number:06d}", name, born_text, nysid, "PL 221.05"])
    return planted
