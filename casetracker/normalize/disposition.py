"""What a written disposition means: "PG 240.20", "DISM 30.30", "ACD 6 MOS", "Y.O. ADJ".

Records write dispositions many ways, and only a conviction leaves something to vacate, so the
meaning is read from the words, in an order that lets the more specific win: "NOT GUILTY" is
an acquittal although it contains "GUILTY", "PLED GUILTY - YO" is a youthful offender
adjudication, "ACD - DISMISSED" is an ACD.
"""

from __future__ import annotations

import re

from casetracker.domain.enums import DispositionKind
from casetracker.normalize.cell import cell_text, is_placeholder
from casetracker.normalize.result import Normalized

# (kind, pattern over the upper-cased text with punctuation folded to spaces), first match wins.
_RULES: tuple[tuple[DispositionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            DispositionKind.YOUTHFUL_OFFENDER,
            r"\bY ?O\b|\bYOUTHFUL\b|\bYOUTH OFFENDER\b|\b720 ?(?:10|20|35)\b",
        ),
        (
            DispositionKind.ACD,
            r"\bA ?C ?O? ?D\b|\bADJ\w* (?:IN )?CONTEMP\w*|\b170 ?5[56]\b|\b215 ?10\b",
        ),
        (
            DispositionKind.ACQUITTED,
            r"\bACQUIT\w*|\bACQ\b|\bNOT GUILTY\b|\bN ?G\b|\bVERDICT (?:OF )?NOT\b",
        ),
        (
            DispositionKind.DISMISSED,
            r"\bDIS?M\w*|\bDSM\b|\bDSMD\b|\bDECLINE\w* (?:TO )?PROS\w*|\bD ?P\b|\bNOLLE\b"
            r"|\bCOVERED\b|\bIN SATISFACTION\b|\bVACATED\b|\b30 ?30\b|\b170 ?(?:30|40)\b"
            r"|\b160 ?50\b",
        ),
        (
            DispositionKind.PENDING,
            r"\bPENDING\b|\bOPEN\b|\bWARRANT\b|\bB ?W\b|\bW ?O\b|\bAWAIT\w*|\bNOT YET\b",
        ),
        (
            DispositionKind.CONVICTED,
            r"\bP ?G\b|\bPLE[AD]\w*|\bGUILTY\b|\bCONV\w*|\bCONVICT\w*|\bSENTENCED?\b"
            r"|\bVERDICT\b|\bC ?D\b|\bCOND\w* DISCH\w*|\bTIME SERVED\b|\bT ?S\b|\bFINED?\b"
            r"|\bJAIL\b|\bPROBATION\b|\bU ?D\b|\bCOMM\w* SERV\w*|\b160 ?55\b",
        ),
        (
            DispositionKind.OTHER,
            r"\bABAT\w*|\bTRANSFER\w*|\bREMOVED\b|\bDECEASED\b|\bDEATH\b|\bCONSOLIDAT\w*",
        ),
    )
)

_PUNCTUATION = re.compile(r"[^A-Z0-9]+")


def classify_disposition(text: object) -> Normalized[DispositionKind]:
    """The kind of disposition written in `text`, or None with a warning when unreadable."""
    typed = cell_text(text)
    if not typed or is_placeholder(typed):
        return Normalized(None, typed)
    folded = " " + _PUNCTUATION.sub(" ", typed.upper()).strip() + " "
    for kind, pattern in _RULES:
        if pattern.search(folded):
            return Normalized(kind, typed)
    return Normalized(
        None,
        typed,
        f"Disposition '{typed}' is not one the app knows (convicted, dismissed, ACD, youthful "
        "offender, acquitted, pending); kept as written",
    )
