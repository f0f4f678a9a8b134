"""Whether a charge a rule names covers a charge on a case."""

from __future__ import annotations

from functools import cache

from casetracker.normalize import ChargeCode, normalize_charge


@cache
def parse_charge(text: str) -> ChargeCode | None:
    return normalize_charge(text).value


def covers(rule: ChargeCode, charge: ChargeCode) -> bool:
    """Does a rule's charge cover a charge on a case? "PL 221.10" covers 221.10(1) and
    221.10(2); "PL 221.10(1)" covers 221.10(1) and its paragraphs, not 221.10(10)."""
    if (rule.law, rule.section) != (charge.law, charge.section):
        return False
    if rule.subdivision is None:
        return True
    if charge.subdivision is None:
        return False
    rest = charge.subdivision.removeprefix(rule.subdivision)
    return rest != charge.subdivision and (rest == "" or rest.isalpha())
