"""Whether two differently spelled names, with the same date of birth, may be one person.

Used only to list possible matches for someone to review: a similar name never links two
rows to one person, because two real people can share a birthday and nearly a name.
"""

from __future__ import annotations


def similar_names(one: str, other: str) -> str | None:
    """Why two name keys ('last|first', as name_key makes them) may name one person, or None.

    None also for identical keys: those are the same name, which linking already handles.
    """
    if one == other:
        return None
    last_a, _, first_a = one.partition("|")
    last_b, _, first_b = other.partition("|")
    if not last_a or not last_b:
        return None
    if last_a == first_b and first_a == last_b:
        return "first and last names swapped"
    if last_a == last_b:
        if first_a and first_b and _initial_of(first_a, first_b):
            return "same last name, first name given as an initial"
        if _close(first_a, first_b):
            return "same last name, first name spelled differently"
        return None
    if first_a == first_b:
        if _part_of(last_a, last_b):
            return "same first name, one last name is part of the other"
        if _close(last_a, last_b):
            return "same first name, last name spelled differently"
        return None
    return None


# How likely each kind of likeness makes two people one, out of 100 (with the same date of
# birth): a swap or a typo is a slip of the keyboard; an initial or half a compound surname
# is also how two relatives could be written.
_SCORES = {
    "first and last names swapped": 85,
    "same last name, first name spelled differently": 75,
    "same first name, last name spelled differently": 75,
    "same first name, one last name is part of the other": 65,
    "same last name, first name given as an initial": 60,
}


def similarity(one: str, other: str) -> tuple[str, int] | None:
    """(why, score) for two name keys that may name one person; None as similar_names."""
    why = similar_names(one, other)
    return None if why is None else (why, _SCORES[why])


def _initial_of(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) == 1 and long.startswith(short)


def _part_of(a: str, b: str) -> bool:
    # Compound surnames: one list has 'Garcia Lopez', another only 'Garcia'.
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and (long.startswith(short) or long.endswith(short))


def _close(a: str, b: str) -> bool:
    """One typo apart (two for longer names): a letter added, dropped, changed or swapped."""
    if not a or not b:
        return False
    allowed = 1 if max(len(a), len(b)) <= 7 else 2
    if min(len(a), len(b)) < 3:
        return False
    # Each edit changes the set of letters used by at most two: most pairs end here.
    if len(set(a) ^ set(b)) > 2 * allowed:
        return False
    return _distance(a, b, allowed) <= allowed


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit; stops early past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
