"""The outcome of normalizing one value typed by a person or read from a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Normalized(Generic[T]):
    """A cleaned value, the text it came from, and what the user should be told about it.

    ``value`` is None when the input was empty or unusable. ``warning`` is plain English for
    the person fixing an import; it may quote the value itself but never other personal data.
    """

    value: T | None
    as_typed: str
    warning: str | None = None
