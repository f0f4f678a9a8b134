"""The fields a template may use, and the check an office's own template must pass.

A template is checked by rendering it with a sample motion (or list) in which every field has a
value: a field the sample does not have is unknown (a typo, or a field of another program's
template), and the template is refused with its name and the list of fields there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MOTION = "motion"
LIST = "list"

_COURT = {
    "key": "criminal_court",
    "name": "Criminal Court of the City of New York",
    "county_name": "Kings",
    "place": "Brooklyn",
    "county_line": "County of Kings",
    "part": "AP1",
    "date": "March 5, 2026",
    "judge": "A. Sample",
    "judge_line": "Hon. A. Sample, J.C.C.",
    "index_number": "12345/2026",
    "calendar_number": "7",
    "dismissal_statute": "CPL 170.40",
    "instrument": "accusatory instrument",
}
_LEGAL = {
    "version": "sample",
    "review_note": "Counsel must review.",
    "title": "Motion to vacate and dismiss",
    "statutes": [{"cite": "CPL 440.10", "subject": "vacating a judgment of conviction"}],
    "citations": "CPL 440.10 (vacating a judgment of conviction)",
    "relief": ["vacating the judgment of conviction pursuant to CPL 440.10"],
    "basis": ["The People consent."],
    "order_vacates": "the judgment of conviction is vacated",
    "sealing_statute": "CPL 160.50",
    "sealing_order": "the record be sealed pursuant to CPL 160.50.",
    "sealing_basis": "The record must be sealed under CPL 160.50.",
    "sealing_days": 90,
}
_COMMON = {
    "court": _COURT,
    "office": {"name": "District Attorney, Kings County"},
    "ada": {"name": "Dana Sample-Prosecutor", "assigned": True},
    "legal": _LEGAL,
    "generated_on": "March 1, 2026",
}


def sample_context(subject: str) -> dict[str, Any]:
    """A made-up motion (or list of two) with every field filled; names that need care when
    printed (an accent, an apostrophe, a hyphen) on purpose."""
    if subject == MOTION:
        return {
            **_COMMON,
            "motion": {
                "id": 1,
                "kind": "Conviction vacatur",
                "stage": "Consented",
                "defense": "J. Counsel / Sample Defenders",
            },
            "person": {
                "name": "Zoë O'Brien-Núñez",
                "caption_name": "ZOË O'BRIEN-NÚÑEZ",
                "last_name": "O'Brien-Núñez",
                "first_name": "Zoë",
                "middle_name": "",
                "date_of_birth": "May 17, 1980",
                "nysid": "12345678A",
            },
            "case": {
                "label": "Docket No.",
                "reference": "2016KN016969",
                "docket": "2016KN016969",
                "summons": "",
                "charges": "PL 221.10",
                "charge": "PL 221.10",
                "arrest_date": "February 2, 2016",
                "disposition": "Pled guilty",
                "disposition_date": "April 1, 2016",
                "county": "Kings",
            },
        }
    row = {
        "number": 1,
        "motion_id": 1,
        "person": "O'Brien-Núñez, Zoë",
        "date_of_birth": "05/17/1980",
        "nysid": "12345678A",
        "reference": "4012345678",
        "charge": "PL 221.05",
        "date": "06/01/2012",
        "kind": "Warrant dismissal",
    }
    return {
        **_COMMON,
        "court_list": {"id": 1, "ids": "1", "count": 2, "kinds": "2 warrant dismissals"},
        "motions": [row, {**row, "number": 2, "motion_id": 2, "person": "Sample, Sam"}],
    }


def field_names(subject: str) -> list[str]:
    """Every field a template of this subject may use, as it is written in a template
    (`person.name`; a list's rows as `m.person` inside `{%tr for m in motions %}`)."""
    return sorted(_walk(sample_context(subject), ""))


def _walk(value: Any, prefix: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        yield prefix
        yield from _walk(value[0], f"{prefix}[]")
    else:
        yield prefix


def paths_by_identity(context: dict[str, Any]) -> dict[int, str]:
    """id(dict) -> its field path, so an unknown attribute can be named in full."""
    found: dict[int, str] = {}

    def visit(value: Any, path: str) -> None:
        if isinstance(value, dict):
            found[id(value)] = path
            for key, inner in value.items():
                visit(inner, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for item in value:
                visit(item, f"{path}[]")

    visit(context, "")
    return found
