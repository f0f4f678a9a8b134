"""Charge citations (law, section, subdivision) in the many ways records write them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from casetracker.normalize.cell import cell_text
from casetracker.normalize.result import Normalized


@dataclass(frozen=True)
class ChargeCode:
    law: str  # "PL", "VTL", "AC" (NYC Administrative Code), ...
    section: str  # "221.05", "1192", "10-125"
    subdivision: str | None = None  # "1", "1a" (subdivision 1, paragraph a), "b"

    @property
    def display(self) -> str:
        text = f"{self.law} {self.section}"
        if not self.subdivision:
            return text
        parts = _SUBDIVISION_PARTS.fullmatch(self.subdivision)
        if parts is None:
            return f"{text}({self.subdivision})"
        return text + "".join(f"({part})" for part in parts.groups() if part)


_SUBDIVISION_PARTS = re.compile(r"(\d*)([a-z]?)")

# Canonical law -> the spellings records use for it.
_LAW_SPELLINGS: dict[str, str] = {
    "PL": r"P\.?\s?L\.?|PENAL(?:\s+LAW)?",
    "VTL": r"V\.?\s?T\.?\s?L\.?|VEH(?:ICLE)?\.?\s*(?:AND|&)\s*TRAF(?:FIC)?\.?(?:\s+LAW)?",
    "AC": r"(?:N\.?Y\.?C\.?\s*)?(?:A\.?\s?C\.?|ADMIN(?:ISTRATIVE)?\.?\s+CODE)",
    "ABC": r"ABC",
    "PHL": r"PHL|PUBLIC\s+HEALTH\s+LAW",
    "GBL": r"GBL",
    "TL": r"TL|TAX\s+LAW",
    "ECL": r"ECL",
}

# Penal Law sections are always NNN.NN; a spreadsheet number cell turns 221.10 into 221.1,
# so one decimal is accepted and padded. The 7-digit form is NYPD open data's
# section + subdivision (2210500 = 221.05, no subdivision).
_PL_SECTION = r"(?:(?P<code>\d{7})(?![\d.])|(?P<sec>\d{1,3}\.\d{1,2})(?!\d))"
_SECTIONS: dict[str, str] = {
    "PL": _PL_SECTION,
    # VTL sections are whole numbers; in "1192.3" the 3 is the subdivision.
    "VTL": r"(?P<sec>\d{1,4})(?!\d)",
    "AC": r"(?P<sec>\d{1,2}\s*-\s*\d{1,4})(?!\d)",
}
# Other laws number sections like "3305", "399-e" or "65-b".
_OTHER_SECTION = r"(?P<sec>\d{1,4}(?:-[A-Z](?![A-Z0-9])|[.\-]\d{1,4})?)(?!\d)"

_SUBDIVISION = (
    r"(?:"
    r"\s*\(\s*(?P<s1>\d{1,2}|[A-Z])\s*\)(?:\s*\(\s*(?P<p1>[A-Z])\s*\))?"
    r"|\s*,?\s*(?:SUBDIVISION|SUBDIV|SUBD|SUB|S/D)\.?\s*(?P<s2>\d{1,2})(?P<p2>[A-Z])?(?![A-Z0-9])"
    r"|\s*-\s*(?P<s3>\d{1,2})(?P<p3>[A-Z])?(?![\dA-Z.])"
    r"|\.(?P<s4>\d{1,2})(?P<p4>[A-Z])?(?![\dA-Z.])"
    # "221.10 01" is a subdivision; "221.05 4 & 5" is the start of a description.
    r"|\s+(?P<s5>\d{1,2})(?![\dA-Z.])(?!\s*(?:&|AND\b|OR\b|,))"
    r"|(?P<s6>[A-Z])(?![A-Z0-9])"
    r")?"
)
_LAW_SEPARATOR = r"[\s:#§.\-]*"


def _law_pattern(law: str) -> re.Pattern[str]:
    section = _SECTIONS.get(law, _OTHER_SECTION)
    return re.compile(
        rf"(?<![A-Z0-9])(?:{_LAW_SPELLINGS[law]}){_LAW_SEPARATOR}{section}{_SUBDIVISION}",
        re.ASCII,
    )


@dataclass(frozen=True)
class _Patterns:
    by_law: dict[str, re.Pattern[str]]
    # Without a law named, only a Penal Law section is recognised: the office's charges are
    # almost all Penal Law, and a bare number in a description is too easily something else.
    bare_at_start: re.Pattern[str]
    bare_anywhere: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    """Compiled on first use, not when the window opens (which reads no charges)."""
    return _Patterns(
        {law: _law_pattern(law) for law in _LAW_SPELLINGS},
        re.compile(rf"{_PL_SECTION}{_SUBDIVISION}", re.ASCII),
        re.compile(rf"(?<![A-Z0-9.])(?P<sec>\d{{2,3}}\.\d{{1,2}})(?!\d){_SUBDIVISION}", re.ASCII),
    )


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    code: ChargeCode
    padded: bool


def _subdivision(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    number = next((groups[f"s{i}"] for i in range(1, 7) if groups[f"s{i}"]), None)
    paragraph = next((groups[f"p{i}"] for i in range(1, 5) if groups.get(f"p{i}")), None)
    if number is None:
        return None
    if number.isdigit():
        if int(number) == 0:
            return None
        number = str(int(number))
    return (number + (paragraph or "")).lower()


def _from_match(law: str, match: re.Match[str]) -> _Found:
    groups = match.groupdict()
    code = groups.get("code")
    padded = False
    if code:
        section = f"{int(code[:3])}.{code[3:5]}"
        subdivision = None if int(code[5:]) == 0 else str(int(code[5:]))
    else:
        section = groups["sec"]
        subdivision = _subdivision(match)
        if law == "PL":
            whole, decimals = section.split(".")
            padded = len(decimals) == 1
            section = f"{whole}.{decimals.ljust(2, '0')}"
        elif law == "VTL":
            section = str(int(section))
        elif law == "AC":
            section = re.sub(r"\s+", "", section)
        else:
            section = section.lower()
    return _Found(match.start(), match.end(), ChargeCode(law, section, subdivision), padded)


def _first_charge(text: str, start: int) -> _Found | None:
    found: list[_Found] = []
    patterns = _patterns()
    if start == 0:
        bare = patterns.bare_at_start.match(text)
        if bare:
            found.append(_from_match("PL", bare))
    for law, pattern in patterns.by_law.items():
        match = pattern.search(text, start)
        if match:
            found.append(_from_match(law, match))
    bare_later = patterns.bare_anywhere.search(text, start)
    if bare_later:
        found.append(_from_match("PL", bare_later))
    if not found:
        return None
    return min(found, key=lambda f: (f.start, -f.end))


def _charge_text(text: object) -> str:
    if isinstance(text, float) and math.isfinite(text) and not text.is_integer():
        # A number cell holding 221.10 comes back as 221.1.
        return f"{text:.2f}"
    return cell_text(text)


def normalize_charge(text: object) -> Normalized[ChargeCode]:
    typed = _charge_text(text)
    if not typed:
        return Normalized(None, typed)
    upper = " ".join(typed.upper().split())
    first = _first_charge(upper, 0)
    if first is None:
        return Normalized(None, typed, f"Charge '{typed}' has no law section; left empty")
    warnings: list[str] = []
    if first.padded:
        warnings.append(
            f"Charge '{typed}' read as {first.code.display}, assuming a spreadsheet dropped "
            "the final zero"
        )
    another = _first_charge(upper, first.end)
    if another is not None and another.code != first.code:
        warnings.append(
            f"Charge '{typed}' names more than one law section; used the first, "
            f"{first.code.display}"
        )
    return Normalized(first.code, typed, "; ".join(warnings) or None)


def normalize_charges(text: object) -> list[Normalized[ChargeCode]]:
    """Every charge in one cell ("PL 221.10;VTL 1192.4", "221.05 / 221.10", one per line), in
    the order written, each with its own text; a repeat of a code is kept once. A cell with no
    law section gives one result with no value and a warning, as normalize_charge does."""
    typed = _charge_text(text)
    if not typed:
        return []
    upper = " ".join(typed.upper().split())
    found: list[_Found] = []
    start = 0
    while (charge := _first_charge(upper, start)) is not None:
        if all(charge.code != f.code for f in found):
            found.append(charge)
        start = charge.end
    if not found:
        return [normalize_charge(typed)]
    results = []
    for i, charge in enumerate(found):
        # Each charge's own text runs to the next one, without the separators between them.
        end = found[i + 1].start if i + 1 < len(found) else len(upper)
        own = upper[charge.start : end].strip(" ;,/&+|\n\t-") if len(found) > 1 else typed
        warning = None
        if charge.padded:
            warning = (
                f"Charge '{own}' read as {charge.code.display}, assuming a spreadsheet dropped "
                "the final zero"
            )
        results.append(Normalized(charge.code, own, warning))
    return results


# Class is the one in force when most of these convictions were entered, before chapter 131
# of 2019 made 221.05 and 221.10 violations and the MRTA of 2021 repealed Article 221.
# NYC Administrative Code offences punishable by 15 days or less are violations (PL 55.10).
KNOWN_CHARGES: dict[tuple[str, str], tuple[str, str]] = {
    ("PL", "221.05"): ("Unlawful possession of marihuana", "violation"),
    ("PL", "221.10"): ("Criminal possession of marihuana in the fifth degree", "B misdemeanor"),
    ("PL", "221.15"): ("Criminal possession of marihuana in the fourth degree", "A misdemeanor"),
    ("PL", "221.20"): ("Criminal possession of marihuana in the third degree", "E felony"),
    ("PL", "221.25"): ("Criminal possession of marihuana in the second degree", "D felony"),
    ("PL", "221.30"): ("Criminal possession of marihuana in the first degree", "C felony"),
    ("PL", "221.35"): ("Criminal sale of marihuana in the fifth degree", "B misdemeanor"),
    ("PL", "221.40"): ("Criminal sale of marihuana in the fourth degree", "A misdemeanor"),
    ("PL", "221.45"): ("Criminal sale of marihuana in the third degree", "E felony"),
    ("PL", "221.50"): ("Criminal sale of marihuana in the second degree", "D felony"),
    ("PL", "221.55"): ("Criminal sale of marihuana in the first degree", "C felony"),
    ("PL", "240.36"): ("Loitering in the first degree", "B misdemeanor"),
    ("PL", "240.20"): ("Disorderly conduct", "violation"),
    ("PL", "140.05"): ("Trespass", "violation"),
    ("PL", "140.10"): ("Criminal trespass in the third degree", "B misdemeanor"),
    ("AC", "10-125"): ("Consumption of alcohol in public (open container)", "violation"),
    ("AC", "16-118"): ("Littering", "violation"),
}


def describe(code: ChargeCode) -> str | None:
    known = KNOWN_CHARGES.get((code.law, code.section))
    return known[0] if known else None


def charge_class(code: ChargeCode) -> str | None:
    known = KNOWN_CHARGES.get((code.law, code.section))
    return known[1] if known else None
