"""An action made of two steps needs the permissions of both: screening and consenting at
once needs the permission to screen and the permission to decide."""

from __future__ import annotations

import pytest

from casetracker.accounts.errors import PermissionDeniedError
from casetracker.accounts.roles import ROLES, permission_table
from casetracker.domain.errors import CasetrackerError
from casetracker.screening.ops import screen_and_consent
from casetracker.storage.db import open_database
from tests.accounts.conftest import USERS


@pytest.mark.parametrize("role", ROLES)
def test_screen_and_consent_needs_both_permissions(office: str, role: str) -> None:
    db = open_database(office)
    try:
        try:
            screen_and_consent(db, USERS[role], 999999, reason_code="POLICY")
            refused = False
        except PermissionDeniedError:
            refused = True
        except CasetrackerError:
            refused = False
    finally:
        db.dispose()
    table = permission_table()
    needs = ("motion.screen_and_consent", "motion.screen", "motion.decide")
    assert refused != all(table.allows(role, p) for p in needs)
