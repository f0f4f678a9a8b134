"""NYSID, the state identification number DCJS assigns to a person."""

from __future__ import annotations

import re

from casetracker.normalize.cell import cell_text, drop_float_suffix, is_placeholder
from casetracker.normalize.result import Normalized

_SEPARATORS = re.compile(r"[\s\-]+")
# Deliberately wider than the usual 8 digits and a letter: older and out-of-state records
# vary, and a row must never be refused over its NYSID alone.
_NYSID_SHAPE = re.compile(r"\d{6,10}[A-Z]?", re.ASCII)


def normalize_nysid(text: object) -> Normalized[str]:
    typed = cell_text(text)
    if not typed:
        return Normalized(None, typed)
    if is_placeholder(typed):
        # Kept, a placeholder would make every such row look like the same person.
        return Normalized(None, typed, f"NYSID '{typed}' is a placeholder; left empty")
    value = _SEPARATORS.sub("", drop_float_suffix(typed.upper()))
    if _NYSID_SHAPE.fullmatch(value):
        return Normalized(value, typed)
    return Normalized(
        value,
        typed,
        f"NYSID '{typed}' does not look like a NYSID (8 digits and a letter); kept as typed",
    )
