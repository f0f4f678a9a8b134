"""What each editable field of a person, case or community event holds, and how a value typed
in a form or on the command line becomes it (or is refused, in one sentence that says why)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from casetracker.domain.clock import today
from casetracker.domain.enums import County, DispositionKind, FlagKind
from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import parse_typed_date

Parser = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Field:
    label: str
    kind: type[Any]
    parse: Parser
    required: bool = False


def _text(limit: int | None, required: bool = False) -> Parser:
    def parse(label: str, value: Any) -> Any:
        text = "" if value is None else " ".join(str(value).split())
        if not text:
            if required:
                raise InvalidValueError(f"The {label} cannot be empty.")
            return None
        if limit is not None and len(text) > limit:
            raise InvalidValueError(
                f"The {label} is too long ({len(text)} characters, at most {limit})."
            )
        return text

    return parse


def _multiline(label: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if len(text) > 2000:
        raise InvalidValueError(f"The {label} is too long (at most 2000 characters).")
    return text or None


_TRAILER = re.compile(r";\s*(kept as (typed|written)|left empty)$")


def refusal(warning: str) -> str:
    """A normalizer's warning as a refusal: without the "kept as typed" an import adds."""
    return _TRAILER.sub("", warning.strip()) + "."


def parse_date(label: str, value: Any) -> date | None:
    """A date typed in a form or on the command line (2026-12-20, 12/20/2026, 12/20/26), by
    the one rule every form uses (normalize.parse_typed_date)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return parse_typed_date(text)
    except ValueError:
        raise InvalidValueError(
            f"The {label} '{text}' is not a date; write it as YYYY-MM-DD or MM/DD/YYYY."
        ) from None


def _past_date(label: str, value: Any) -> date | None:
    parsed = parse_date(label, value)
    if parsed is not None and parsed > today():
        raise InvalidValueError(f"The {label} {parsed.isoformat()} is in the future.")
    if parsed is not None and parsed.year < 1900:
        raise InvalidValueError(f"The {label} {parsed.isoformat()} is too early.")
    return parsed


def parse_bool(label: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("1", "yes", "y", "true", "on"):
        return True
    if text in ("", "0", "no", "n", "false", "off"):
        return False
    raise InvalidValueError(f"The {label} '{value}' is not yes or no.")


def _enum(enum: type[Any]) -> Parser:
    def parse(label: str, value: Any) -> Any:
        if value is None or isinstance(value, enum):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return enum.parse(text)
        except ValueError as error:
            raise InvalidValueError(f"The {label}: {error}") from None

    return parse


def _county(label: str, value: Any) -> County | None:
    if value is None or isinstance(value, County):
        return value
    text = str(value).strip()
    if not text:
        return None
    county = County.from_text(text)
    if county is None:
        raise InvalidValueError(
            f"The {label} '{text}' is not a county or borough of New York City "
            "(kings, new_york, bronx, queens, richmond)."
        )
    return county


def _aliases(label: str, value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(";")
    seen: list[str] = []
    for item in items:
        name = " ".join(str(item).split())
        if len(name) > 200:
            raise InvalidValueError(f"An alias is too long (at most 200 characters): {name[:40]}…")
        if name and name not in seen:
            seen.append(name)
    return seen


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(label: str, value: Any) -> str | None:
    text = _text(200)(label, value)
    if text is not None and not _EMAIL.fullmatch(text):
        raise InvalidValueError(f"The email address '{text}' is not an address (name@example.org).")
    return text


def _phone(label: str, value: Any) -> str | None:
    text = _text(40)(label, value)
    if text is None:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or re.search(r"[^\d\s()+.\-x/]", text.lower().replace("ext", "x")):
        raise InvalidValueError(
            f"The phone number '{text}' is not a phone number (digits, spaces, ( ) + - .)."
        )
    return text


PERSON_FIELDS: dict[str, Field] = {
    "last_name": Field("last name", str, _text(100, required=True), required=True),
    "first_name": Field("first name", str, _text(100)),
    "middle_name": Field("middle name", str, _text(100)),
    "aliases": Field("aliases", list, _aliases),
    "date_of_birth": Field("date of birth", date, _past_date),
    # Read by casetracker.records.people (normalized, and checked against other people).
    "nysid": Field("NYSID", str, _text(40)),
    "address": Field("address", str, _multiline),
    "phone": Field("phone number", str, _phone),
    "email": Field("email address", str, _email),
    "language": Field("language", str, _text(60)),
    "interpreter_needed": Field("interpreter needed", bool, parse_bool),
    "consent_to_contact": Field("consent to contact", bool, parse_bool),
}

CASE_FIELDS: dict[str, Field] = {
    "docket": Field("docket number", str, _text(60)),
    "summons_number": Field("summons number", str, _text(40)),
    "court": Field("court", str, _text(120)),
    "county": Field("county", County, _county),
    "court_part": Field("court part", str, _text(40)),
    "arrest_date": Field("arrest date", date, _past_date),
    "disposition": Field("disposition", str, _text(200)),
    "disposition_kind": Field("kind of disposition", DispositionKind, _enum(DispositionKind)),
    "disposition_date": Field("disposition date", date, _past_date),
    "sentence": Field("sentence", str, _text(200)),
    "defense_counsel": Field("defense counsel", str, _text(120)),
    "warrant_issued_date": Field("warrant date", date, _past_date),
}

EVENT_FIELDS: dict[str, Field] = {
    "name": Field("event name", str, _text(200, required=True), required=True),
    "event_date": Field("event date", date, parse_date, required=True),
    "location": Field("location", str, _text(200)),
    "county": Field("county", County, _county),
}

FLAG_KIND = _enum(FlagKind)


def parse_values(
    fields: Mapping[str, Field], values: Mapping[str, Any], what: str
) -> dict[str, Any]:
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise InvalidValueError(
            f"A {what} has no field {unknown[0]} (it has: {', '.join(fields)})."
        )
    return {name: fields[name].parse(fields[name].label, value) for name, value in values.items()}


# -- the history's JSON form ---------------------------------------------------------------


def to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def from_json(kind: type[Any] | None, value: Any) -> Any:
    if value is None or kind is None:
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value
