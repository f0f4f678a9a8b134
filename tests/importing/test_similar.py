"""Possible matches by similar name: what counts as similar, and what must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casetracker.importing.similar import _distance, similar_names
from casetracker.normalize import name_key


def key(last: str, first: str) -> str:
    return name_key(last, first)


@pytest.mark.parametrize(
    ("one", "other", "why"),
    [
        (key("Smith", "John"), key("John", "Smith"), "swapped"),
        (key("Smith", "John"), key("Smith", "J"), "initial"),
        (key("Smith", "John"), key("Smith", "Jon"), "first name spelled"),
        (key("Smith", "John"), key("Smtih", "John"), "last name spelled"),
        (key("Garcia Lopez", "Ana"), key("Garcia", "Ana"), "part of the other"),
        (key("Rodriguez", "Maria"), key("Rodrigues", "Maria"), "last name spelled"),
        (key("Fitzgerald", "Catherine"), key("Fitzgerald", "Katharine"), "first name spelled"),
    ],
)
def test_likely_the_same_person(one: str, other: str, why: str) -> None:
    reason = similar_names(one, other)
    assert reason is not None and why in reason
    assert similar_names(other, one) is not None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (key("Smith", "John"), key("Smith", "John")),  # the same name is not "similar"
        (key("Smith", "John"), key("Smith", "Mary")),
        (key("Smith", "John"), key("Jones", "John")),
        (key("Lee", "Ana"), key("Li", "Ana")),  # too short to tell a typo from a name
        (key("Smith", "John"), key("Smyth", "Jon")),  # both names differ
        (key("Ng", "Al"), key("Ng", "Ali")),
    ],
)
def test_not_flagged(one: str, other: str) -> None:
    assert similar_names(one, other) is None


_words = st.text(alphabet="abcdefghij", min_size=0, max_size=9)


@given(_words, _words)
def test_distance_agrees_with_a_plain_count_within_the_limit(a: str, b: str) -> None:
    full = _distance(a, b, 100)
    assert full == _distance(b, a, 100)
    assert (full <= 2) == (_distance(a, b, 2) <= 2)
    assert abs(len(a) - len(b)) <= full <= max(len(a), len(b))
