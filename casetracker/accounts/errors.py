"""Errors of signing in and of permissions: each says what to do next."""

from __future__ import annotations

from casetracker.domain.errors import CasetrackerError


class SignInError(CasetrackerError):
    """Wrong name or password, a disabled or a locked account."""


class PermissionDeniedError(CasetrackerError):
    """The signed-in user's role does not allow the operation."""
