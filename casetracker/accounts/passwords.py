"""Passwords: argon2id hashes, and the one policy NIST SP 800-63B (and CJIS 5.6) asks for:
long enough and not a commonly used one. No composition rules, no forced expiry."""

from __future__ import annotations

import gzip
import string
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type

from casetracker.domain.errors import InvalidValueError
from casetracker.paths import resource_path

MIN_LENGTH = 12
MAX_LENGTH = 256
_TRAILING = string.digits + string.punctuation + " "

# argon2-cffi's RFC 9106 "low memory" profile: 64 MiB, 3 passes; about 0.1 s a check here.
_HASHER = PasswordHasher(type=Type.ID)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(resource_path("common_passwords.txt.gz"), "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def check_new_password(password: str, user_name: str = "") -> None:
    """Raise InvalidValueError saying why `password` may not be used."""
    text = unicodedata.normalize("NFC", password)
    if len(text) < MIN_LENGTH:
        raise InvalidValueError(
            f"The password is too short: use at least {MIN_LENGTH} characters "
            "(a few unrelated words make a good one)."
        )
    if len(text) > MAX_LENGTH:
        raise InvalidValueError(f"The password is too long: at most {MAX_LENGTH} characters.")
    folded = text.casefold()
    listed = common_passwords()
    if folded in listed or folded.rstrip(_TRAILING) in listed:
        raise InvalidValueError(
            "That password is on the list of commonly used passwords; choose another."
        )
    if len(set(folded)) <= 2:
        raise InvalidValueError("The password repeats one or two characters; choose another.")
    if _is_sequence(folded):
        raise InvalidValueError("The password is a run of keys or digits; choose another.")
    name = user_name.strip().casefold()
    if "casetracker" in folded or (len(name) >= 3 and name in folded):
        raise InvalidValueError(
            "The password contains the user name or the app's name; choose another."
        )


def _is_sequence(text: str) -> bool:
    # "1234567890" and "0987654321" wrap from 9 to 0.
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1}, {1, -9}, {-1, 9})


def hash_password(password: str) -> str:
    return _HASHER.hash(unicodedata.normalize("NFC", password))


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, unicodedata.normalize("NFC", password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
