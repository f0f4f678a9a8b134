"""The office's list of reason codes for decisions. Codes are never deleted, only retired,
because past decisions name them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.enums import Decision
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import ReasonCode

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,39}")

# The codes an office starts with. They are in force while the office's own list is empty;
# the first edit copies them into the database, where the office then owns them.
DEFAULT_REASON_CODES = (
    ("POLICY", "Within office policy", Decision.CONSENT),
    ("EXPUNGED-PROCEED", "Expunged by law; the person still wants the vacatur", Decision.CONSENT),
    ("REVIEWED", "Reviewed by hand and within policy", Decision.CONSENT),
    ("EXCLUDED", "Excluded by office policy", Decision.OPPOSE),
    ("NOT-COVERED", "Charge not covered by office policy", Decision.OPPOSE),
    ("RECORD", "Need the certificate of disposition", Decision.INFO),
    ("IDENTITY", "Identity or record match not confirmed", Decision.INFO),
)


@dataclass(frozen=True)
class ReasonCodeRow:
    code: str
    label: str
    decision: Decision | None
    active: bool

    @property
    def text(self) -> str:
        return f"{self.code} — {self.label}"


def list_reason_codes(
    session: Session, decision: Decision | None = None, *, include_retired: bool = False
) -> list[ReasonCodeRow]:
    if _office_list_empty(session):
        return [
            ReasonCodeRow(code, label, fits, True)
            for code, label, fits in DEFAULT_REASON_CODES
            if decision is None or fits == decision
        ]
    query = select(ReasonCode.code, ReasonCode.label, ReasonCode.decision, ReasonCode.active)
    if decision is not None:
        query = query.where((ReasonCode.decision == decision) | ReasonCode.decision.is_(None))
    if not include_retired:
        query = query.where(ReasonCode.active.is_(True))
    rows = session.execute(query.order_by(ReasonCode.position, ReasonCode.code))
    return [ReasonCodeRow(*row) for row in rows]


def decision_reason(decision: Decision, code: ReasonCodeRow, note: str | None = None) -> str:
    """The reason a decision writes into history: "Consent: Within office policy (POLICY)",
    with the note after a dash when there is one. The queue, the bulk dialog and a single
    move all say it so."""
    note = (note or "").strip()
    return f"{decision.label}: {code.label} ({code.code})" + (f" — {note}" if note else "")


def reason_code_for(session: Session, code: str, decision: Decision) -> ReasonCodeRow:
    """The active code, if it fits the decision; otherwise an error listing the codes that do.
    Only reads: a preview runs it in a reading unit of work, which on SQLite cannot write."""
    row = _find(session, code.strip().upper())
    fits = row is not None and row.active and row.decision in (None, decision)
    if row is None or not fits:
        usable = ", ".join(r.code for r in list_reason_codes(session, decision)) or "none"
        what = "is retired" if row is not None and not row.active else "is not a reason code"
        if row is not None and row.active:
            what = f"is for {row.decision.label.lower() if row.decision else 'any'} decisions"
        raise InvalidValueError(
            f"Reason code '{code}' {what}; for {decision.label.lower()} use one of: {usable}."
        )
    return row


def _find(session: Session, code: str) -> ReasonCodeRow | None:
    if _office_list_empty(session):  # the defaults stand until the office edits the list
        return next(
            (
                ReasonCodeRow(c, label, fits, True)
                for c, label, fits in DEFAULT_REASON_CODES
                if c == code
            ),
            None,
        )
    row = session.get(ReasonCode, code)
    return None if row is None else ReasonCodeRow(row.code, row.label, row.decision, row.active)


def checked_code(code: str, label: str) -> str:
    """The code as stored (upper case), or why it cannot be one."""
    code = code.strip().upper()
    if not _CODE.fullmatch(code):
        raise InvalidValueError(
            f"Reason code '{code}' must be up to 40 capital letters, digits, '-' or '_'."
        )
    if not label.strip():
        raise InvalidValueError(f"Reason code {code} needs a label saying what it means.")
    return code


def add_reason_code(
    session: Session, code: str, label: str, decision: Decision | None, *, user: str
) -> ReasonCodeRow:
    require(session, user, "reason_codes.edit")
    code = checked_code(code, label)
    _copy_defaults(session)
    row = session.get(ReasonCode, code)
    if row is not None:
        # Adding a retired code again brings it back with the new wording.
        row.label, row.decision, row.active = label.strip(), decision, True
    else:
        last = session.scalar(select(func.max(ReasonCode.position))) or 0
        row = ReasonCode(
            code=code, label=label.strip(), decision=decision, active=True, position=last + 1
        )
        session.add(row)
    session.flush()
    return ReasonCodeRow(row.code, row.label, row.decision, row.active)


def retire_reason_code(session: Session, code: str, *, user: str, active: bool = False) -> None:
    """Retire a code (no longer offered; past decisions keep it), or with active=True bring
    a retired one back."""
    require(session, user, "reason_codes.edit")
    _copy_defaults(session)
    row = session.get(ReasonCode, code.strip().upper())
    if row is None:
        raise InvalidValueError(f"There is no reason code '{code}'.")
    row.active = active
    session.flush()


def _office_list_empty(session: Session) -> bool:
    return session.scalar(select(ReasonCode.code).limit(1)) is None


def _copy_defaults(session: Session) -> None:
    if not _office_list_empty(session):
        return
    for position, (code, label, decision) in enumerate(DEFAULT_REASON_CODES):
        session.add(
            ReasonCode(code=code, label=label, decision=decision, active=True, position=position)
        )
    session.flush()
