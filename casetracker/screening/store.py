"""The office's rule sets in the database, so everyone in a shared office screens by the same
sets. Each saved set says from when and for which counties it is in force; a motion is screened
by the set in force for its county on its as-of date (the newest-dated, a county's own set
before one for all counties, the later saved among equals). Where no saved set is in force,
the rules shipped with the app are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts import audit
from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import County
from casetracker.domain.models import RuleSetVersion
from casetracker.screening.doc_reader import RuleSetError
from casetracker.screening.rules import RuleSet, parse_rules, parse_rules_text, shipped_rules


@dataclass(frozen=True)
class SavedRuleSet:
    version: str
    saved_by: str
    saved_at: datetime
    note: str | None


@dataclass(frozen=True)
class RuleLibrary:
    """Every saved rule set, oldest first, and the shipped one to fall back on."""

    saved: tuple[RuleSet, ...]
    shipped: RuleSet

    def choose(self, county: County | None, as_of: date) -> RuleSet | None:
        best: RuleSet | None = None
        best_key: tuple[date, bool, int] | None = None
        for position, rules in enumerate(self.saved):
            if not (rules.applies_to(county) and rules.in_force(as_of)):
                continue
            key = (rules.effective_from or date.min, bool(rules.counties), position)
            if best_key is None or key > best_key:
                best, best_key = rules, key
        if best is None and self.shipped.applies_to(county) and self.shipped.in_force(as_of):
            return self.shipped
        return best

    def all_sets(self) -> tuple[RuleSet, ...]:
        return (self.shipped, *self.saved)


def rule_library(session: Session) -> RuleLibrary:
    rows = session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id)).all()
    return RuleLibrary(
        tuple(parse_rules(row.document, f"version {row.version}") for row in rows),
        shipped_rules(),
    )


def current_rules(session: Session) -> RuleSet:
    """The rule set saved last (the one the editor opens), or the shipped one."""
    row = _newest(session)
    if row is None:
        return shipped_rules()
    return parse_rules(row.document, f"version {row.version}")


def rules_source(session: Session) -> str:
    row = _newest(session)
    if row is None:
        return "the default rules shipped with the app"
    return f"saved by {row.saved_by} on {row.saved_at:%Y-%m-%d %H:%M} UTC"


def save_rules(session: Session, text: str, *, user: str, note: str | None = None) -> RuleSet:
    """Validate a rule-set document and make it the office's rules. A changed rule set needs a
    new version, so every stored screening names exactly the rules that produced it."""
    require(session, user, "rules.load")
    rules = parse_rules_text(text, "the edited rules")
    current = current_rules(session)
    if rules.document == current.document:
        raise RuleSetError(
            f"These rules are the same as the rules in force (version {current.version}); "
            "nothing was saved.",
            "version",
            f"the rules are the same as the rules in force (version {current.version})",
        )
    taken = session.scalars(
        select(RuleSetVersion.id).where(RuleSetVersion.version == rules.version)
    ).first()
    if taken is not None or rules.version == shipped_rules().version:
        raise RuleSetError(
            f"Version '{rules.version}' is already used by other rules; give the changed "
            "rules a new version. Nothing was saved.",
            "version",
            f"'{rules.version}' is already used by other rules; give the changed rules a new "
            "version",
        )
    session.add(
        RuleSetVersion(
            version=rules.version,
            document=rules.document,
            saved_by=user,
            saved_at=utcnow(),
            note=note,
        )
    )
    audit.record(
        session,
        user,
        audit.RULES_CHANGE,
        "eligibility rules",
        # The whole rule sets, so the audit log shows what changed, not only the versions.
        before={"version": current.version, "rules": current.document},
        after={"version": rules.version, "rules": rules.document},
        note=note,
    )
    session.flush()
    return rules


def saved_versions(session: Session) -> list[SavedRuleSet]:
    rows = session.execute(
        select(
            RuleSetVersion.version,
            RuleSetVersion.saved_by,
            RuleSetVersion.saved_at,
            RuleSetVersion.note,
        ).order_by(RuleSetVersion.id)
    )
    return [SavedRuleSet(*row) for row in rows]


def _newest(session: Session) -> RuleSetVersion | None:
    query = select(RuleSetVersion).order_by(RuleSetVersion.id.desc()).limit(1)
    return session.scalars(query).first()
