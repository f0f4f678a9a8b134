"""Accounts: making them, listing them, disabling, unlocking, new passwords, and signing in.

Every change to an account is an audit entry written in the same unit of work, naming who made
it, with the before and after of what changed (never a password or its hash).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.accounts import audit
from casetracker.accounts.errors import SignInError
from casetracker.accounts.names import clean_user_name, user_key
from casetracker.accounts.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    password_matches,
)
from casetracker.accounts.permissions import accounts_exist, require
from casetracker.accounts.roles import ADMINISTRATOR, parse_role
from casetracker.domain.clock import utcnow
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Account
from casetracker.storage.db import Database

MAX_FAILURES = 5
LOCKED_MESSAGE = "locked; an administrator can unlock it"
WRONG_MESSAGE = "wrong user name or password"


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name takes as long as a wrong
    password. Made on first use: a slow hash at import would slow every command's start-up."""
    return hash_password("not a real password, only for timing")


@dataclass(frozen=True)
class AccountRow:
    name: str
    role: str
    disabled: bool
    locked: bool
    failed_sign_ins: int
    created_at: datetime
    last_sign_in_at: datetime | None

    @property
    def status(self) -> str:
        if self.disabled:
            return "disabled"
        return "locked" if self.locked else "active"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "status": self.status,
            "failed_sign_ins": self.failed_sign_ins,
            "created_at": self.created_at.isoformat(),
            "last_sign_in_at": self.last_sign_in_at.isoformat() if self.last_sign_in_at else None,
        }


def find_account(session: Session, name: str) -> Account | None:
    return session.scalar(select(Account).where(Account.name_key == user_key(name)))


def _account(session: Session, name: str) -> Account:
    account = find_account(session, name)
    if account is None:
        raise NotFoundError(f"There is no user '{name.strip()}'. ('users list' shows them.)")
    return account


def add_user(session: Session, actor: Any, name: str, role: str, password: str) -> AccountRow:
    """The first account must be an administrator: otherwise nobody could manage the rest."""
    first = not accounts_exist(session)
    clean = clean_user_name(name)
    role = parse_role(role)
    if first and role != ADMINISTRATOR:
        raise InvalidValueError(
            "The first account must be an administrator (--role administrator): "
            "administrators add everyone else."
        )
    if not first:
        require(session, actor, "users.manage")
    if find_account(session, clean) is not None:
        raise InvalidValueError(f"There is already a user '{clean}'.")
    check_new_password(password, clean)
    account = Account(
        name=clean,
        name_key=user_key(clean),
        role=role,
        password_hash=hash_password(password),
        disabled=False,
        failed_sign_ins=0,
        created_by=clean if first else audit.actor_name(actor),
    )
    session.add(account)
    session.flush()
    session.info["accounts_exist"] = True
    audit.record(
        session,
        clean if first else actor,
        audit.USER_CHANGE,
        f"user {clean}",
        change="added",
        after={"role": role, "status": "active"},
        first_account=first or None,
    )
    return _row(account)


def list_users(session: Session, actor: Any) -> list[AccountRow]:
    require(session, actor, "users.manage")
    accounts = session.scalars(select(Account).order_by(Account.name_key))
    return [_row(a) for a in accounts]


def set_disabled(session: Session, actor: Any, name: str, disabled: bool = True) -> AccountRow:
    require(session, actor, "users.manage")
    account = _account(session, name)
    if disabled and _is_last_active_administrator(session, account):
        raise InvalidValueError(
            f"'{account.name}' is the last active administrator; add another one first."
        )
    before = _row(account).status
    account.disabled = disabled
    session.flush()
    after = _row(account).status
    audit.record(
        session,
        actor,
        audit.USER_CHANGE,
        f"user {account.name}",
        change="disabled" if disabled else "enabled",
        before={"status": before},
        after={"status": after},
    )
    return _row(account)


def unlock_user(session: Session, actor: Any, name: str) -> AccountRow:
    require(session, actor, "users.manage")
    account = _account(session, name)
    before = {"status": _row(account).status, "failed_sign_ins": account.failed_sign_ins}
    account.failed_sign_ins = 0
    account.locked_at = None
    session.flush()
    audit.record(
        session,
        actor,
        audit.USER_CHANGE,
        f"user {account.name}",
        change="unlocked",
        before=before,
        after={"status": _row(account).status, "failed_sign_ins": 0},
    )
    return _row(account)


def reset_password(session: Session, actor: Any, name: str, password: str) -> AccountRow:
    """An administrator sets a new password (and so unlocks the account)."""
    require(session, actor, "users.manage")
    account = _account(session, name)
    check_new_password(password, account.name)
    account.password_hash = hash_password(password)
    account.password_set_at = utcnow()
    account.failed_sign_ins = 0
    account.locked_at = None
    session.flush()
    audit.record(session, actor, audit.USER_CHANGE, f"user {account.name}", change="password reset")
    return _row(account)


def change_role(session: Session, actor: Any, name: str, role: str) -> AccountRow:
    require(session, actor, "users.manage")
    account = _account(session, name)
    role = parse_role(role)
    if role != ADMINISTRATOR and _is_last_active_administrator(session, account):
        raise InvalidValueError(
            f"'{account.name}' is the last active administrator; add another one first."
        )
    before = account.role
    account.role = role
    session.flush()
    audit.record(
        session,
        actor,
        audit.USER_CHANGE,
        f"user {account.name}",
        change="role",
        before={"role": before},
        after={"role": role},
    )
    return _row(account)


def _is_last_active_administrator(session: Session, account: Account) -> bool:
    if account.role != ADMINISTRATOR or account.disabled:
        return False
    others = session.scalar(
        select(func.count(Account.id)).where(
            Account.role == ADMINISTRATOR, Account.disabled.is_(False), Account.id != account.id
        )
    )
    return not others


def _row(account: Account) -> AccountRow:
    return AccountRow(
        name=account.name,
        role=account.role,
        disabled=account.disabled,
        locked=account.locked_at is not None,
        failed_sign_ins=account.failed_sign_ins,
        created_at=account.created_at,
        last_sign_in_at=account.last_sign_in_at,
    )


@dataclass(frozen=True)
class SignedIn:
    """Who signed in. `name` is the account's own spelling, whatever was typed."""

    name: str
    role: str


def sign_in(
    db: Database, name: str, password: str, *, channel: str, audit_success: bool = True
) -> SignedIn:
    """Check a name and password; raise SignInError (one line, saying what to do) or return
    who signed in. Failures, lockouts and successes are all audited, and a failure is counted
    and kept even though the sign-in is refused. `audit_success=False`: the caller records
    the success itself, in the entry that says what the sign-in was for (a command line)."""
    typed = " ".join(name.split())[:100]
    with db.reading() as session:
        account = find_account(session, name)
        stored_hash = account.password_hash if account is not None else _dummy_hash()
        locked = account is not None and account.locked_at is not None
    # The slow hash is checked outside the write transaction, which holds SQLite's lock.
    matches = password_matches(stored_hash, password) and account is not None
    outcome: SignedIn | None = None
    error = WRONG_MESSAGE
    with db.unit_of_work() as session:
        current = (
            None
            if account is None
            else session.get(Account, account.id, with_for_update=True, populate_existing=True)
        )
        if current is None:
            audit.record(session, typed, audit.SIGN_IN_FAILED, channel=channel, reason="unknown")
        elif current.locked_at is not None or locked:
            error = LOCKED_MESSAGE
            audit.record(
                session, current.name, audit.SIGN_IN_FAILED, channel=channel, reason="locked"
            )
        elif current.disabled:
            error = "this account is disabled; ask an administrator"
            audit.record(
                session, current.name, audit.SIGN_IN_FAILED, channel=channel, reason="disabled"
            )
        elif not matches:
            current.failed_sign_ins += 1
            audit.record(
                session,
                current.name,
                audit.SIGN_IN_FAILED,
                channel=channel,
                reason="wrong password",
                failures=current.failed_sign_ins,
            )
            if current.failed_sign_ins >= MAX_FAILURES:
                current.locked_at = utcnow()
                error = LOCKED_MESSAGE
                audit.record(
                    session,
                    current.name,
                    audit.LOCKED_OUT,
                    channel=channel,
                    failures=current.failed_sign_ins,
                )
        else:
            current.failed_sign_ins = 0
            current.last_sign_in_at = utcnow()
            if needs_rehash(current.password_hash):
                current.password_hash = hash_password(password)
            if audit_success:
                audit.record(session, current.name, audit.SIGN_IN, channel=channel)
            outcome = SignedIn(current.name, current.role)
    if outcome is None:
        raise SignInError(error)
    return outcome


def sign_out(db: Database, who: SignedIn, *, channel: str) -> None:
    with db.unit_of_work() as session:
        audit.record(session, who.name, audit.SIGN_OUT, channel=channel)


def role_of(session: Session, name: str) -> str | None:
    account = find_account(session, name)
    return None if account is None or account.disabled else account.role
