"""Errors a user can act on. The message is shown as it is, so it says what and what to do."""

from __future__ import annotations


class CasetrackerError(Exception):
    """Base of every error the app reports to a person rather than to the log."""


class NotFoundError(CasetrackerError):
    pass


class InvalidValueError(CasetrackerError):
    pass


class TransitionError(CasetrackerError):
    """The move is not allowed now, or lacks what it needs."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class StaleEditError(CasetrackerError):
    """Someone else changed the record since it was read."""


class StorageError(CasetrackerError):
    """The database cannot be opened, reached or written."""
