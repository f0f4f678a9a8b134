"""Person names: splitting one column into parts, consistent casing, and matching keys."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from casetracker.normalize.cell import cell_text
from casetracker.normalize.result import Normalized


@dataclass(frozen=True)
class PersonName:
    last: str  # includes a generational suffix: "Smith Jr"
    first: str
    middle: str = ""


_SUFFIXES = {"JR": "Jr", "SR": "Sr", "II": "II", "III": "III", "IV": "IV"}
# Lowercase words that belong to the surname when a name is written first-name first.
# "y" is left out: in "Garcia y Lopez" the word before it is also part of the surname.
_PARTICLES = frozenset(
    {
        "al",
        "bin",
        "da",
        "das",
        "de",
        "del",
        "della",
        "den",
        "der",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "le",
        "san",
        "santa",
        "st",
        "st.",
        "ten",
        "ter",
        "van",
        "von",
    }
)
_APOSTROPHES = "'’‘`ʼ"
_LETTERS = re.compile(r"[^\W\d_]+")
_WORD_BREAK = re.compile(rf"([\s\-{_APOSTROPHES}]+)")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
# Letters NFKD does not decompose into a base letter plus accent.
_TRANSLITERATION = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"}
)


def parse_name(text: object) -> Normalized[PersonName]:
    """Split a one-column name: 'LAST, FIRST MIDDLE' or 'FIRST MIDDLE LAST'."""
    typed = cell_text(text)
    collapsed = " ".join(typed.split())
    if not collapsed:
        return Normalized(None, typed)
    if not any(ch.isalpha() for ch in collapsed):
        return Normalized(None, typed, f"Name '{typed}' has no letters; left empty")
    parts = [part.strip() for part in collapsed.split(",")]
    suffixes: list[str] = []
    # In "JOHN SMITH, JR" the comma sets off the suffix, not the last name.
    while len(parts) > 1 and parts[0] and parts[-1] and all(_suffix(t) for t in parts[-1].split()):
        suffixes = [_SUFFIXES[_suffix_key(t)] for t in parts.pop().split()] + suffixes
    if len(parts) > 1:
        return _last_name_first(parts, suffixes, typed)
    return _first_name_first(parts[0], suffixes, typed)


def make_name(last: object, first: object, middle: object = "") -> PersonName:
    """A name from separate columns, cased the same way parse_name cases it."""
    last_tokens, suffixes = _pop_suffixes(cell_text(last).split())
    if last_tokens:
        last_tokens[-1] = last_tokens[-1].rstrip(",")
    return PersonName(
        _with_suffixes(_case(" ".join(last_tokens)), suffixes),
        _case(_given(cell_text(first).split())),
        _case(_given(cell_text(middle).split())),
    )


def name_key(last: str, first: str, middle: str = "") -> str:
    """'last|first' with accents, case and punctuation gone, to match one person across files.

    The middle name is accepted but ignored: one file has the initial, another the whole
    name, another nothing.
    """
    return f"{_key_part(last)}|{_key_part(first)}"


def fold(text: str) -> str:
    """Accent-free, case-free text with punctuation as spaces, for search indexes.

    Apostrophes are dropped rather than spaced so that O'Brien is found by typing obrien.
    """
    base = _APOSTROPHE.sub("", _base_letters(text))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in base).split())


def _last_name_first(parts: list[str], suffixes: list[str], typed: str) -> Normalized[PersonName]:
    last_tokens, last_suffixes = _pop_suffixes(parts[0].split())
    written = " ".join(parts[1:]).split()
    given = [t for t in written if not _suffix(t)]
    # "SMITH, JOHN JR": the suffix belongs with the last name, unless it is all there is.
    moved = [_SUFFIXES[_suffix_key(t)] for t in written if _suffix(t)] if given else []
    given = given or written
    name = PersonName(
        _with_suffixes(_case(" ".join(last_tokens)), [*last_suffixes, *moved, *suffixes]),
        _case(_given(given[:1])),
        _case(_given(given[1:])),
    )
    warning = None
    if not last_tokens:
        warning = f"Name '{typed}' has no last name"
    elif not given:
        warning = f"Name '{typed}' has no first name"
    return Normalized(name, typed, warning)


def _first_name_first(text: str, suffixes: list[str], typed: str) -> Normalized[PersonName]:
    tokens, own_suffixes = _pop_suffixes(text.split())
    suffixes = own_suffixes + suffixes
    if len(tokens) == 1:
        name = PersonName(_with_suffixes(_case(tokens[0]), suffixes), "", "")
        return Normalized(name, typed, f"Name '{typed}' has one word; taken as the last name")
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    name = PersonName(
        _with_suffixes(_case(" ".join(tokens[start:])), suffixes),
        _case(_given(tokens[:1])),
        _case(_given(tokens[1:start])),
    )
    return Normalized(name, typed)


def _suffix_key(token: str) -> str:
    return token.strip(".,").upper()


def _suffix(token: str) -> bool:
    return _suffix_key(token) in _SUFFIXES


def _pop_suffixes(tokens: list[str]) -> tuple[list[str], list[str]]:
    tokens = list(tokens)
    suffixes: list[str] = []
    # A lone "JR" is someone's name as far as we can tell, so one token always stays.
    while len(tokens) > 1 and _suffix(tokens[-1]):
        suffixes.insert(0, _SUFFIXES[_suffix_key(tokens.pop())])
    return tokens, suffixes


def _with_suffixes(last: str, suffixes: list[str]) -> str:
    return " ".join([last, *suffixes]) if last else " ".join(suffixes)


def _given(tokens: list[str]) -> str:
    # "A." and "A" are the same middle initial; keeping one spelling keeps lists tidy.
    return " ".join(t[0] if len(t) == 2 and t[1] == "." and t[0].isalpha() else t for t in tokens)


def _case(text: str) -> str:
    """Proper-case text typed all in capitals, all in lowercase or with Caps Lock on
    ("zACHARY"); trust anything else (McDonald, DeJesus, van der Berg)."""
    if text != text.upper() and text != text.lower() and not _caps_lock(text):
        return text
    pieces = _WORD_BREAK.split(text)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            out.append(piece)
            continue
        after_apostrophe = index > 0 and bool(_APOSTROPHE.search(pieces[index - 1]))
        if after_apostrophe and len(pieces[index - 2]) > 1:
            # O'Brien and D'Angelo, but Ja'nae.
            out.append(piece.lower())
        else:
            out.append(_capitalize_word(piece))
    return "".join(out)


def _caps_lock(text: str) -> bool:
    words = _LETTERS.findall(text)
    return any(len(w) > 1 for w in words) and all(
        w[0].islower() and (len(w) == 1 or w[1:].isupper()) for w in words
    )


def _capitalize_word(word: str) -> str:
    if len(word) > 2 and word[:2].upper() == "MC" and word[2].isalpha():
        return "Mc" + _capitalize_word(word[2:])
    if not word:
        return word
    head = word[0].upper()
    # Some letters capitalize to two ("ß" -> "SS"); leave those as they are.
    if len(head) != 1:
        head = word[0]
    return head + word[1:].lower()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _base_letters(text: str) -> str:
    # Casefolding can itself produce accents ("İ" -> "i̇"), hence stripping on both sides.
    return _strip_accents(_strip_accents(text).casefold().translate(_TRANSLITERATION))


def _key_part(text: str) -> str:
    return "".join(ch for ch in _base_letters(text) if ch.isalnum())
