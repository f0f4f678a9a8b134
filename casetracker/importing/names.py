"""Person names read fast: the same last and first names recur across a list, so each
spelling is cased and keyed once, through the shared name normalizer."""

from __future__ import annotations

import re

from casetracker.normalize import make_name, name_key, parse_name

# (last, first, middle) as stored.
NameParts = tuple[str, str, str]

# Tokens parse_name treats as generational suffixes; a name holding one takes the slow path.
_LETTER = re.compile(r"[^\W\d_]")
_SUFFIX_TOKENS = frozenset({"JR", "SR", "II", "III", "IV"})
# Whether the upper-cased text holds any suffix token at all, in one search ("III" holds "II").
_SUFFIX_HINT = re.compile("|".join(sorted(_SUFFIX_TOKENS)))


class NameReader:
    def __init__(self) -> None:
        self._last: dict[str, tuple[str, str]] = {}
        self._first: dict[str, tuple[str, str]] = {}
        self._middle: dict[str, str] = {}
        self._full: dict[str, tuple[NameParts | None, str, str | None]] = {}

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

    def split(self, last: str, first: str, middle: str) -> tuple[NameParts, str]:
        """Separate columns: (name, key)."""
        # The caches are read here directly: this runs once for every row of a list.
        last_cased, last_key = self._last.get(last) or self.last(last)
        first_cased, first_key = self._first.get(first) or self.first(first)
        middle_cased = self._middle.get(middle)
        if middle_cased is None:
            middle_cased = self.middle(middle)
        return (last_cased, first_cased, middle_cased), f"{last_key}|{first_key}"

    def full(self, text: str) -> tuple[NameParts | None, str, str | None]:
        """One 'LAST, FIRST M' (or 'FIRST M LAST') column: (name or None, key, warning)."""
        found = self._full.get(text)
        if found is None:
            found = self._read_full(text)
            self._full[text] = found
        return found

    def _read_full(self, text: str) -> tuple[NameParts | None, str, str | None]:
        quick = self._quick(text)
        if quick is not None:
            return quick[0], quick[1], None
        parsed = parse_name(text)
        name = parsed.value
        if name is None:
            return None, "", parsed.warning
        return (name.last, name.first, name.middle), name_key(name.last, name.first), parsed.warning

    def _quick(self, text: str) -> tuple[NameParts, str] | None:
        # The common 'LAST, FIRST M' shape is exactly make_name(LAST, FIRST, M); anything
        # else (suffixes, several commas, one word) goes through parse_name itself.
        last, comma, given = text.partition(",")
        if not comma or "," in given:
            return None
        tokens = given.split()
        if not tokens or _LETTER.search(last) is None:
            return None
        if _SUFFIX_HINT.search(text.upper()) and any(
            t.strip(".,").upper() in _SUFFIX_TOKENS for t in (*tokens, *last.split())
        ):
            return None
        return self.split(last.strip(), tokens[0], " ".join(tokens[1:]))
