"""Person names read fast: the same last and first names recur across a list, so each
spelling is cased and keyed once, through the shared name normalizer."""

from __future__ import annotations

import re

from casetracker.normalize import PersonName, make_name, name_key, parse_name
from casetracker.normalize.result import Normalized

# Tokens parse_name treats as generational suffixes; a name holding one takes the slow path.
_LETTER = re.compile(r"[^\W\d_]")
_SUFFIX_TOKENS = frozenset({"JR", "SR", "II", "III", "IV"})


class NameReader:
    def __init__(self) -> None:
        self._last: dict[str, tuple[str, str]] = {}
        self._first: dict[str, tuple[str, str]] = {}
        self._middle: dict[str, str] = {}

    def last(self, text: str) -> tuple[str, str]:
        """(cased last name, its key part)."""
        found = self._last.get(text)
        if found is None:
            cased = make_name(text, "").last
            found = (cased, name_key(cased, "").partition("|")[0])
            self._last[text] = found
        return found

    def first(self, text: str) -> tuple[str, str]:
        found = self._first.get(text)
        if found is None:
            cased = make_name("", text).first
            found = (cased, name_key("", cased).partition("|")[2])
            self._first[text] = found
        return found

    def middle(self, text: str) -> str:
        found = self._middle.get(text)
        if found is None:
            found = make_name("", "", text).middle
            self._middle[text] = found
        return found

    def split(self, last: str, first: str, middle: str) -> tuple[PersonName, str]:
        """Separate columns: (name, key)."""
        last_cased, last_key = self.last(last)
        first_cased, first_key = self.first(first)
        return PersonName(last_cased, first_cased, self.middle(middle)), f"{last_key}|{first_key}"

    def full(self, text: str) -> tuple[Normalized[PersonName], str]:
        """One 'LAST, FIRST M' (or 'FIRST M LAST') column: (parsed name, key)."""
        quick = self._quick(text)
        if quick is not None:
            return quick
        parsed = parse_name(text)
        name = parsed.value
        key = name_key(name.last, name.first) if name is not None else ""
        return parsed, key

    def _quick(self, text: str) -> tuple[Normalized[PersonName], str] | None:
        # The common 'LAST, FIRST M' shape is exactly make_name(LAST, FIRST, M); anything
        # else (suffixes, several commas, one word) goes through parse_name itself.
        last, comma, given = text.partition(",")
        if not comma or "," in given:
            return None
        tokens = given.split()
        if not tokens or _LETTER.search(last) is None:
            return None
        upper = text.upper()
        if any(s in upper for s in _SUFFIX_TOKENS) and any(
            t.strip(".,").upper() in _SUFFIX_TOKENS for t in (*tokens, *last.split())
        ):
            return None
        name, key = self.split(last.strip(), tokens[0], " ".join(tokens[1:]))
        return Normalized(name, text), key
