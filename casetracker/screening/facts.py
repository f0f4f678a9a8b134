"""What screening may look at, copied out of the database so the engine needs none: the
motion's case, the person's other cases on file, and flags recorded for facts not on file.
Every reason names where its fact came from, so the facts carry their case and dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casetracker.domain.enums import (
    ChargeRole,
    County,
    DispositionKind,
    FlagKind,
    MotionKind,
    ScreeningResult,
    WarrantStatus,
)
from casetracker.normalize import ChargeCode
from casetracker.screening.matching import parse_charge


@dataclass(frozen=True)
class ChargeFact:
    section: str | None
    as_typed: str
    role: ChargeRole = ChargeRole.ARREST
    charge_class: str | None = None

    @property
    def code(self) -> ChargeCode | None:
        return parse_charge(self.section or self.as_typed)


@dataclass(frozen=True)
class CaseFacts:
    reference: str
    charges: tuple[ChargeFact, ...] = ()
    county: County | None = None
    arrest_date: date | None = None
    disposition: str | None = None
    disposition_kind: DispositionKind | None = None
    disposition_date: date | None = None
    warrant_status: WarrantStatus = WarrantStatus.NONE
    smoking_while_driving: bool = False

    def charges_as(self, role: ChargeRole) -> tuple[ChargeFact, ...]:
        return tuple(c for c in self.charges if c.role == role)

    @property
    def where(self) -> str:
        """ "case 2016SN016969 (Kings (Brooklyn))", for reasons."""
        county = f" ({self.county.label})" if self.county else ""
        return f"case {self.reference}{county}"

    @property
    def ended(self) -> str:
        """How the case ended, in words: "ACD ('ACD 6 MOS', 2016-05-01)"."""
        kind = self.disposition_kind.label if self.disposition_kind else "an unknown disposition"
        if kind[1:2].islower():  # "Dismissed" reads "dismissed" mid-sentence; "ACD" stays
            kind = kind[0].lower() + kind[1:]
        details = [f"'{self.disposition}'"] if self.disposition else []
        if self.disposition_date:
            details.append(self.disposition_date.isoformat())
        return kind + (f" ({', '.join(details)})" if details else "")


@dataclass(frozen=True)
class FlagFact:
    """A fact recorded by hand about the person (a conviction in another state, say)."""

    kind: FlagKind
    source: str
    note: str | None = None


@dataclass(frozen=True)
class MotionFacts:
    kind: MotionKind
    case: CaseFacts
    other_cases: tuple[CaseFacts, ...] = ()
    flags: tuple[FlagFact, ...] = ()
    date_of_birth: date | None = None
    # The date the screening is made as of: the laws and rule sets in force then apply.
    as_of: date = field(default_factory=date.today)
    proceed_if_expunged: bool = False


@dataclass(frozen=True)
class Reason:
    rule: str
    because: str
    subject: str
    # The result this reason argues for; None for a reason that only informs.
    effect: ScreeningResult | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "because": self.because,
            "subject": self.subject,
            "effect": self.effect.value if self.effect else None,
        }


@dataclass(frozen=True)
class ScreeningOutcome:
    result: ScreeningResult
    ruleset: str
    reasons: tuple[Reason, ...]
    as_of: date

    def reasons_json(self) -> list[dict[str, Any]]:
        return [reason.to_json() for reason in self.reasons]

    def to_json(self) -> dict[str, Any]:
        return {
            "result": self.result.value,
            "rule_set": self.ruleset,
            "as_of": self.as_of.isoformat(),
            "reasons": self.reasons_json(),
        }
