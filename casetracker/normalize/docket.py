"""Docket numbers and criminal court summons numbers."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from casetracker.normalize.cell import cell_text, drop_float_suffix, is_placeholder
from casetracker.normalize.result import Normalized

# People type dockets with any mix of spaces, hyphens, slashes and dots between the parts;
# the parts themselves are unambiguous once those are gone.
_SEPARATORS = re.compile(r"[\s\-_./]+")
# The two letters are not always a county code, so any pair is accepted.
_OLD_FORM = re.compile(r"((?:19|20)\d{2})([A-Z]{2})(\d{1,6})", re.ASCII)
_CR_FORM = re.compile(r"CR(\d{1,6})(\d{2})([A-Z]{2})", re.ASCII)

_SUMMONS_SEPARATORS = re.compile(r"[\s\-]+")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E[+-]?\d{1,2}", re.ASCII)
_SUMMONS_SHAPE = re.compile(r"[A-Z0-9]+")


def normalize_docket(text: object) -> Normalized[str]:
    typed = cell_text(text)
    if not typed:
        return Normalized(None, typed)
    if is_placeholder(typed):
        return Normalized(None, typed, f"Docket number '{typed}' is a placeholder; left empty")
    upper = typed.upper()
    compact = _SEPARATORS.sub("", upper)
    old = _OLD_FORM.fullmatch(compact)
    if old:
        year, letters, sequence = old.groups()
        return Normalized(f"{year}{letters}{sequence.zfill(6)}", typed)
    new = _CR_FORM.fullmatch(compact)
    if new:
        sequence, year, suffix = new.groups()
        return Normalized(f"CR-{sequence.zfill(6)}-{year}{suffix}", typed)
    return Normalized(
        "".join(upper.split()),
        typed,
        f"Docket number '{typed}' has an unusual format; kept as typed",
    )


def docket_search_key(text: str) -> str:
    """Lowercase letters and digits only, so a partial docket typed any way still matches."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def normalize_summons(text: object) -> Normalized[str]:
    typed = cell_text(text)
    if not typed:
        return Normalized(None, typed)
    if is_placeholder(typed):
        return Normalized(None, typed, f"Summons number '{typed}' is a placeholder; left empty")
    upper = typed.upper()
    if _SCIENTIFIC.fullmatch(upper):
        # A spreadsheet shows long numbers as 4.41235E+09 and may have rounded off digits,
        # so the converted number must be checked by a person.
        number = Decimal(upper)
        if number != number.to_integral_value():
            return _unusual_summons(typed)
        value = str(int(number))
        return Normalized(
            value,
            typed,
            f"Summons number '{typed}' was in spreadsheet scientific notation and may have "
            f"lost digits; read as '{value}', check it against the source",
        )
    value = _SUMMONS_SEPARATORS.sub("", drop_float_suffix(upper))
    # Dropping hyphens from "-1E-05" must not make a number out of it.
    if _SUMMONS_SHAPE.fullmatch(value) and not _SCIENTIFIC.fullmatch(value):
        return Normalized(value, typed)
    return _unusual_summons(typed)


def _unusual_summons(typed: str) -> Normalized[str]:
    # Hyphens stay: in something unrecognised they may carry meaning.
    return Normalized(
        "".join(typed.upper().split()),
        typed,
        f"Summons number '{typed}' has an unusual format; kept as typed",
    )
