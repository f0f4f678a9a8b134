"""User names as people type them: one rule for storing, comparing and refusing.

"ada.smith " and "ada.smith" are the same user, and so are a name typed with a composed "é" and
one with "e" plus a combining accent: names are compared after Unicode NFC, trimming and case
folding. Control characters and bidirectional overrides are refused outright: they make a name
look like another one on screen and in the audit log.
"""

from __future__ import annotations

import unicodedata

from casetracker.domain.errors import InvalidValueError

MAX_LENGTH = 100
# Format characters (Cf) include the bidi overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), zero-width joiners and marks; Cc the C0/C1 controls, tab and newline.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_user_name(text: str) -> str:
    """The name as stored and shown: NFC, trimmed, inner runs of spaces made one. Raises
    InvalidValueError, saying why, for a name that cannot be an account name."""
    name = " ".join(part for part in unicodedata.normalize("NFC", text).strip().split(" ") if part)
    if not name:
        raise InvalidValueError("A user name cannot be empty.")
    for char in name:
        if unicodedata.category(char) in _REFUSED_CATEGORIES or (char.isspace() and char != " "):
            raise InvalidValueError(
                f"A user name cannot contain the invisible or control character "
                f"U+{ord(char):04X}; type the name again without it."
            )
    if len(name) > MAX_LENGTH:
        raise InvalidValueError(f"A user name can have at most {MAX_LENGTH} characters.")
    return name


def user_key(text: str) -> str:
    """What two names are compared by. Lenient on purpose: a name with a refused character
    still gets a key (history written before accounts may hold one), it just never matches an
    account's."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    return unicodedata.normalize("NFC", name.casefold())


def same_user(first: str | None, second: str | None) -> bool:
    if first is None or second is None:
        return False
    return user_key(first) == user_key(second)
