"""Long lists of values asked for with SQL IN lists: one round trip per few thousand values,
well under SQLite's limit of 32,766 parameters to a statement."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
IN_LIST_SIZE = 4000


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), IN_LIST_SIZE):
        yield values[start : start + IN_LIST_SIZE]
