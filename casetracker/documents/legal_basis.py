"""The legal basis printed in the papers, per kind of motion and per court: data the office's
counsel reviews (resources/rules/legal_basis.json), not code."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from casetracker.domain.enums import MotionKind
from casetracker.domain.errors import InvalidValueError
from casetracker.paths import resource_path

CRIMINAL_COURT = "criminal_court"
SUPREME_COURT = "supreme_court"


@dataclass(frozen=True)
class Court:
    key: str
    name: str
    dismissal_statute: str
    instrument: str


@cache
def _document() -> dict[str, Any]:
    path = resource_path("rules", "legal_basis.json")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidValueError(f"The legal basis file {path} cannot be read: {error}") from None
    return data


def version() -> str:
    return str(_document()["version"])


def court(key: str) -> Court:
    entry = _document()["courts"][key]
    return Court(key, entry["name"], entry["dismissal_statute"], entry["instrument"])


def legal_context(kinds: Sequence[MotionKind], court_key: str, sealing_days: int) -> dict[str, Any]:
    """What the templates print under `legal`, for one kind or for the kinds on a list (each
    statute and paragraph once, in the order of the kinds)."""
    document = _document()
    where = court(court_key)
    values = {
        "dismissal_statute": where.dismissal_statute,
        "instrument": where.instrument,
        "sealing_days": str(sealing_days),
    }

    def fill(text: str) -> str:
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    entries = [document["kinds"][kind.value] for kind in dict.fromkeys(kinds)]
    statutes: dict[str, str] = {}
    relief: list[str] = []
    basis: list[str] = []
    for entry in entries:
        for statute in entry["statutes"]:
            statutes.setdefault(fill(statute["cite"]), statute["subject"])
        relief.extend(r for r in map(fill, entry["relief"]) if r not in relief)
        basis.extend(b for b in map(fill, entry["basis"]) if b not in basis)
    single = len(entries) == 1
    return {
        "version": document["version"],
        "review_note": document["review_note"],
        "title": entries[0]["title"] if single else "Omnibus motion to vacate and dismiss",
        "statutes": [{"cite": c, "subject": s} for c, s in statutes.items()],
        "citations": _citations(statutes),
        "relief": relief,
        "basis": basis,
        "order_vacates": entries[0]["order_vacates"]
        if single
        else " or ".join(e["subject"] for e in entries) + ", as the case may be, is vacated",
        "sealing_statute": document["sealing"]["statute"],
        "sealing_order": fill(document["sealing"]["order"]),
        "sealing_basis": fill(document["sealing"]["basis"]),
        "sealing_days": sealing_days,
    }


def _citations(statutes: dict[str, str]) -> str:
    parts = [f"{cite} ({subject})" for cite, subject in statutes.items()]
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
