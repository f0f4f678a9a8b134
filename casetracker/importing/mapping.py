"""Which column holds which field: header spellings recognised, and saved mapping profiles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Setting
from casetracker.normalize.cell import cell_text
from casetracker.storage.settings import get_setting, set_setting


@dataclass(frozen=True)
class Field:
    key: str
    label: str


FIELDS: tuple[Field, ...] = (
    Field("docket_or_summons", "Docket or summons number"),
    Field("docket", "Docket number"),
    Field("summons", "Summons number"),
    Field("full_name", "Name (LAST, FIRST M)"),
    Field("last_name", "Last name"),
    Field("first_name", "First name"),
    Field("middle_name", "Middle name"),
    Field("date_of_birth", "Date of birth"),
    Field("nysid", "NYSID"),
    Field("charge", "Charge (law section)"),
    Field("charge_description", "Charge description"),
    Field("arrest_date", "Arrest date"),
    Field("warrant_date", "Warrant issued date"),
    Field("county", "County / borough"),
    Field("court_part", "Court part"),
    Field("disposition", "Disposition"),
    Field("disposition_date", "Disposition date"),
    Field("sentence", "Sentence"),
    Field("address", "Address"),
    Field("phone", "Phone"),
)
FIELD_LABELS = {f.key: f.label for f in FIELDS}
IDENTIFIER_FIELDS = ("docket_or_summons", "docket", "summons")
NAME_FIELDS = ("full_name", "last_name")

_WORD = re.compile(r"[a-z0-9]+")
_SYNONYMS = {
    "no": "number",
    "nbr": "number",
    "num": "number",
    "nos": "number",
    "dt": "date",
    "desc": "description",
    "descr": "description",
    "boro": "borough",
    "defendant": "",
    "def": "",
    "deft": "",
    "the": "",
    "of": "",
}


def header_words(header: object) -> tuple[str, ...]:
    """'D.O.B.' -> ('dob',); 'Docket No.' -> ('docket', 'number'); 'NYS ID #' -> ('nysid', ...)."""
    text = cell_text(header).lower().replace("#", " number ")
    words = _WORD.findall(text)
    # Runs of single letters are an abbreviation written with dots or spaces: D.O.B., N.Y.S.I.D.
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    out = [_SYNONYMS.get(w, w) for w in joined]
    text_out = " ".join(w for w in out if w)
    text_out = text_out.replace("nys id", "nysid").replace("birth date", "birthdate")
    return tuple(text_out.split())


def _has(words: tuple[str, ...], *wanted: str) -> bool:
    return all(w in words for w in wanted)


def guess_field(header: object) -> str | None:
    """The field a header names, or None. Rules run most specific first."""
    w = header_words(header)
    if not w:
        return None
    s = set(w)
    joined = "".join(w)
    if "docket" in s and ("summons" in s or "summ" in s):
        return "docket_or_summons"
    if "nysid" in s or joined in ("nysid", "nysidnumber", "stateid", "sid", "sidnumber"):
        return "nysid"
    if "dob" in s or "birthdate" in s or "birthday" in s or _has(w, "date", "birth") or "born" in s:
        return "date_of_birth"
    if "warrant" in s and ("date" in s or "issued" in s or "ordered" in s):
        return "warrant_date"
    if "arrest" in s and "date" in s:
        return "arrest_date"
    if ("disposition" in s or "dispo" in s or "conviction" in s) and "date" in s:
        return "disposition_date"
    if "docket" in s or joined in ("indexnumber", "casenumber", "case", "docketid"):
        return "docket"
    if "summons" in s:
        return "summons"
    if ("charge" in s or "offense" in s or "offence" in s) and (
        "description" in s or "desc" in s or "text" in s or "literal" in s
    ):
        return "charge_description"
    if joined in ("description", "chargename", "offensename", "crimedescription"):
        return "charge_description"
    if s & {"charge", "charges", "offense", "offence", "statute", "crime", "violation"} or (
        "law" in s and "section" in s
    ):
        return "charge"
    if joined in ("section", "lawcode", "pl", "plsection", "penallaw", "code", "law"):
        return "charge"
    if "last" in s or "surname" in s or joined in ("lname", "lastname", "familyname"):
        if "first" in s:
            return "full_name"
        return "last_name"
    if "first" in s or "given" in s or joined in ("fname", "firstname", "forename"):
        return "first_name"
    if "middle" in s or joined in ("mi", "mname", "middleinitial"):
        return "middle_name"
    if joined in ("name", "fullname", "namelastfirst", "person", "personname", "") or (
        "name" in s and len(s) <= 3 and not s & {"charge", "court", "judge", "officer", "street"}
    ):
        return "full_name"
    if s & {"county", "borough", "boroughs"} or joined == "cnty":
        return "county"
    if "part" in s:
        return "court_part"
    if "disposition" in s or "dispo" in s:
        return "disposition"
    if "sentence" in s:
        return "sentence"
    if "address" in s or "street" in s:
        return "address"
    if "phone" in s or "telephone" in s or "tel" in s or "mobile" in s:
        return "phone"
    return None


@dataclass
class ColumnMapping:
    """field -> column index (0-based within the sheet's rows), and the headers as found."""

    headers: list[str]
    fields: dict[str, int] = field(default_factory=dict)

    def column_of(self, key: str) -> int | None:
        return self.fields.get(key)

    def unmapped_columns(self) -> list[str]:
        used = set(self.fields.values())
        return [h for i, h in enumerate(self.headers) if i not in used and h]

    def missing_required(self) -> list[str]:
        missing = []
        if not any(k in self.fields for k in IDENTIFIER_FIELDS):
            missing.append("docket or summons number")
        if not any(k in self.fields for k in NAME_FIELDS):
            missing.append("last name (or a LAST, FIRST name column)")
        if "charge" not in self.fields:
            missing.append("charge")
        return missing

    def as_profile(self) -> dict[str, str]:
        """header text -> field key: what a profile keeps, so it fits a file of that source."""
        return {self.headers[index]: key for key, index in self.fields.items()}

    def describe(self) -> dict[str, str]:
        return {key: self.headers[index] for key, index in self.fields.items()}


def auto_mapping(headers: Sequence[object]) -> ColumnMapping:
    texts = [cell_text(h) for h in headers]
    mapping = ColumnMapping(texts)
    for index, text in enumerate(texts):
        key = guess_field(text)
        if key is not None and key not in mapping.fields:
            mapping.fields[key] = index
    _settle_identifiers(mapping)
    return mapping


def _settle_identifiers(mapping: ColumnMapping) -> None:
    # A separate docket column and a combined one cannot both be read; the specific one wins.
    if "docket_or_summons" in mapping.fields and (
        "docket" in mapping.fields or "summons" in mapping.fields
    ):
        del mapping.fields["docket_or_summons"]


def apply_profile(headers: Sequence[object], profile: dict[str, str]) -> ColumnMapping:
    """A saved profile first (by header text, ignoring case and spacing), then the guesses."""
    texts = [cell_text(h) for h in headers]
    wanted = {_header_key(h): key for h, key in profile.items() if key in FIELD_LABELS}
    mapping = ColumnMapping(texts)
    for index, text in enumerate(texts):
        key = wanted.get(_header_key(text))
        if key is not None and key not in mapping.fields:
            mapping.fields[key] = index
    if not mapping.fields:
        raise InvalidValueError(
            "The saved mapping fits none of this file's columns; the columns found are: "
            + ", ".join(t for t in texts if t)
        )
    guessed = auto_mapping(headers)
    used = set(mapping.fields.values())
    for key, index in guessed.fields.items():
        if key not in mapping.fields and index not in used:
            mapping.fields[key] = index
    _settle_identifiers(mapping)
    return mapping


def mapping_from_choices(headers: Sequence[object], choices: dict[int, str]) -> ColumnMapping:
    """The mapping a person chose column by column (column index -> field key)."""
    mapping = ColumnMapping([cell_text(h) for h in headers])
    for index, key in sorted(choices.items()):
        if key in FIELD_LABELS and key not in mapping.fields:
            mapping.fields[key] = index
    return mapping


def _header_key(text: str) -> str:
    return " ".join(text.lower().split())


_PROFILE_PREFIX = "import.profile."


def save_profile(session: Session, name: str, mapping: ColumnMapping, user: str) -> None:
    clean = name.strip()
    if not clean:
        raise InvalidValueError("A mapping profile needs a name (for example the sender).")
    set_setting(session, _PROFILE_PREFIX + clean, mapping.as_profile(), user)


def load_profile(session: Session, name: str) -> dict[str, str]:
    value: Any = get_setting(session, _PROFILE_PREFIX + name.strip())
    if not isinstance(value, dict):
        names = profile_names(session)
        known = ", ".join(names) if names else "none saved yet"
        raise NotFoundError(f"There is no mapping profile '{name}' (profiles: {known}).")
    return {str(k): str(v) for k, v in value.items()}


def profile_names(session: Session) -> list[str]:
    keys = session.scalars(
        select(Setting.key).where(Setting.key.startswith(_PROFILE_PREFIX)).order_by(Setting.key)
    )
    return [k.removeprefix(_PROFILE_PREFIX) for k in keys]
