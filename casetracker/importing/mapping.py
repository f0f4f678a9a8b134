"""Which column holds which field: header spellings recognised, and saved mapping profiles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Setting
from casetracker.importing.values import columns_by_values
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
    Field("conviction_charge", "Conviction charge"),
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
    "ph": "phone",
    "defendant": "",
    "def": "",
    "deft": "",
    "the": "",
    "of": "",
}


# The words the rules below read headers by. A header word that is none of them is read as
# the one it abbreviates, if it plainly abbreviates one: legacy systems write CHRG, DEFT LST
# NM, ARRST DT, WRNT DT, BOROUGH CD, DKT NO, SMNS, DISPO, CONV CHRG.
VOCABULARY = frozenset(
    [
        "docket",
        "summons",
        "number",
        "nysid",
        "date",
        "birth",
        "birthdate",
        "birthday",
        "born",
        "warrant",
        "issued",
        "ordered",
        "arrest",
        "arrested",
        "disposition",
        "conviction",
        "convicted",
        "index",
        "case",
        "charge",
        "charges",
        "offense",
        "offence",
        "statute",
        "crime",
        "violation",
        "law",
        "section",
        "description",
        "text",
        "literal",
        "last",
        "surname",
        "first",
        "given",
        "middle",
        "initial",
        "name",
        "full",
        "person",
        "county",
        "borough",
        "part",
        "court",
        "sentence",
        "address",
        "street",
        "phone",
        "telephone",
        "mobile",
        "code",
        "defendant",
        "respondent",
        "subject",
        "type",
        "status",
        "judge",
        "officer",
        "comments",
        "notes",
        "final",
        "top",
        "identifier",
        "state",
    ]
)
_VOWELS = frozenset("aeiouy")


def _skeleton(word: str) -> str:
    """The first letter and the consonants after it, doubled letters once: how words are
    abbreviated by dropping vowels (CHRG, WRNT, ARRST)."""
    out = word[0]
    for letter in word[1:]:
        if letter not in _VOWELS and letter != out[-1]:
            out += letter
    return out


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


@lru_cache(maxsize=4096)
def expand_word(word: str) -> str:
    """The vocabulary word `word` abbreviates, or `word` itself: the same word; a prefix of
    three letters or more (BORO, DESC, DISPO); the same consonants (NM, DT, CHRG, LST); or,
    for three letters or more, its consonants in order (DKT, DEFT). Ambiguous: unchanged."""
    if word in VOCABULARY or not word.isalpha() or len(word) < 2:
        return word
    best: list[tuple[int, str]] = []
    skeleton = _skeleton(word)
    # Consonants alone are read only in a word written without vowels: STATE is a word of
    # its own, not STATUTE shortened.
    # A Y is a consonant in a word written without vowels (CNTY).
    consonants = not _VOWELS.intersection(word[1:].replace("y", ""))
    for candidate in VOCABULARY:
        if candidate[0] != word[0]:
            continue
        if len(word) >= 3 and candidate.startswith(word):
            score = 3
        elif consonants and skeleton == _skeleton(candidate):
            score = 2
        elif consonants and len(word) >= 3 and _subsequence(skeleton, _skeleton(candidate)):
            score = 1
        else:
            continue
        best.append((score, candidate))
    if not best:
        return word
    best.sort(reverse=True)
    top = [candidate for score, candidate in best if score == best[0][0]]
    if len(top) > 1:
        # Words of one stem (charge, charges; conviction, convicted) are one meaning;
        # others leave the word unread.
        shortest = min(top, key=len)
        stem = shortest[: min(6, len(shortest))]
        return shortest if all(candidate.startswith(stem) for candidate in top) else word
    return top[0]


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
    out = [_SYNONYMS.get(w) if w in _SYNONYMS else expand_word(w) for w in joined]
    out = [_SYNONYMS.get(w, w) if w is not None else "" for w in out]
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
    if s & {"state", "st"} and s & {"id", "identifier"}:  # ST ID NO, State Identifier
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
    if s & {"conviction", "convicted", "disposition"} and s & {
        "charge",
        "charges",
        "offense",
        "offence",
        "crime",
        "statute",
        "section",
    }:
        # What the case ended in, beside what it was brought on.
        return "conviction_charge"
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
    # Fields recognised by their column's values, not its header: field -> why.
    guessed: dict[str, str] = field(default_factory=dict)

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
        if "charge" not in self.fields and "conviction_charge" not in self.fields:
            missing.append("charge")
        return missing

    def as_profile(self) -> dict[str, str]:
        """header text -> field key: what a profile keeps, so it fits a file of that source."""
        return {self.headers[index]: key for key, index in self.fields.items()}

    def describe(self) -> dict[str, str]:
        return {key: self.headers[index] for key, index in self.fields.items()}

    def guesses(self) -> list[str]:
        """'column 2 ('Respondent') as Name (LAST, FIRST M): its values look like ...', for
        each field recognised by its values."""
        out = []
        for key, why in self.guessed.items():
            index = self.fields.get(key)
            if index is None:
                continue
            header = self.headers[index] if index < len(self.headers) else ""
            named = f" ('{header}')" if header else ""
            out.append(f"column {index + 1}{named} as {FIELD_LABELS[key]}: {why}")
        return out


def auto_mapping(
    headers: Sequence[object], samples: Sequence[Sequence[object]] = ()
) -> ColumnMapping:
    """Fields by their headers; then, for the columns whose header names none, by the
    values of the sample rows below the header (for the fields still missing)."""
    texts = [cell_text(h) for h in headers]
    mapping = ColumnMapping(texts)
    for index, text in enumerate(texts):
        key = guess_field(text)
        if key is not None and key not in mapping.fields:
            mapping.fields[key] = index
    _settle_identifiers(mapping)
    if samples:
        by_values(mapping, samples)
    return mapping


def by_values(mapping: ColumnMapping, samples: Sequence[Sequence[object]]) -> None:
    """Adds what the values of unmapped columns tell, for fields not mapped yet."""
    width = max((len(row) for row in samples), default=0)
    used = set(mapping.fields.values())
    unread = [i for i in range(width) if i not in used and guess_field(_header(mapping, i)) is None]
    for index, (key, why) in columns_by_values(samples, unread).items():
        taken = (
            key in mapping.fields
            or (key in IDENTIFIER_FIELDS and any(k in mapping.fields for k in IDENTIFIER_FIELDS))
            or (key in NAME_FIELDS and any(k in mapping.fields for k in NAME_FIELDS))
        )
        if taken:
            continue
        while len(mapping.headers) <= index:
            mapping.headers.append("")
        mapping.fields[key] = index
        mapping.guessed[key] = why


def _header(mapping: ColumnMapping, index: int) -> str:
    return mapping.headers[index] if index < len(mapping.headers) else ""


def _settle_identifiers(mapping: ColumnMapping) -> None:
    # A separate docket column and a combined one cannot both be read; the specific one wins.
    if "docket_or_summons" in mapping.fields and (
        "docket" in mapping.fields or "summons" in mapping.fields
    ):
        del mapping.fields["docket_or_summons"]


def apply_profile(
    headers: Sequence[object],
    profile: dict[str, str],
    samples: Sequence[Sequence[object]] = (),
) -> ColumnMapping:
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
    guessed = auto_mapping(headers, samples)
    used = set(mapping.fields.values())
    for key, index in guessed.fields.items():
        if key not in mapping.fields and index not in used:
            mapping.fields[key] = index
            if key in guessed.guessed:
                mapping.guessed[key] = guessed.guessed[key]
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
