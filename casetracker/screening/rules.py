"""The eligibility rule set: read, validated and written as JSON.

A rule set is data the office owns. Charges are written the way the charge normalizer
displays them ("PL 221.05", "PL 221.10(1)", "AC 16-118"); a charge without a subdivision
covers every subdivision of that section, one with a subdivision covers only that one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from casetracker.domain.enums import FlagKind, MotionKind, ScreeningResult
from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import ChargeCode, normalize_charge
from casetracker.paths import resource_path

SHIPPED_RULES = ("rules", "eligibility.json")
# Facts of a case that an exclusion may name: the Case attribute of the same name.
CASE_FACTS = ("smoking_while_driving",)
_OTHER_CHARGE_RESULTS = (ScreeningResult.INELIGIBLE, ScreeningResult.NEEDS_REVIEW)


@dataclass(frozen=True)
class Coverage:
    id: str
    motion_kind: MotionKind
    charges: tuple[ChargeCode, ...]
    because: str


@dataclass(frozen=True)
class Exclusion:
    id: str
    because: str
    person_flag: FlagKind | None = None
    case_fact: str | None = None

    @property
    def subject(self) -> str:
        if self.person_flag is not None:
            return self.person_flag.label
        return (self.case_fact or "").replace("_", " ")


@dataclass(frozen=True)
class ExpungedByLaw:
    id: str
    motion_kinds: frozenset[MotionKind]
    charges: tuple[ChargeCode, ...]
    because: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    coverage: tuple[Coverage, ...]
    other_charges: dict[MotionKind, ScreeningResult]
    exclusions: tuple[Exclusion, ...]
    expunged_by_law: ExpungedByLaw | None
    # The document as written, so it can be shown and saved again unchanged.
    document: dict[str, Any]

    def coverage_for(self, kind: MotionKind) -> tuple[Coverage, ...]:
        return tuple(c for c in self.coverage if c.motion_kind == kind)

    def to_json(self) -> str:
        return dumps(self.document)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def shipped_rules_path() -> Path:
    return resource_path(*SHIPPED_RULES)


@cache
def shipped_rules() -> RuleSet:
    """The default rule set that comes with the app."""
    return load_rules_file(shipped_rules_path())


def load_rules_file(path: Path) -> RuleSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValueError(f"Cannot read rules file {path}: {error.strerror}.") from None
    return parse_rules_text(text, where=path.name)


def parse_rules_text(text: str, where: str = "the rules") -> RuleSet:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidValueError(
            f"{where} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    return parse_rules(document, where)


def parse_rules(document: Any, where: str = "the rules") -> RuleSet:
    """Check every part of a rule-set document and build the rule set, or say what is wrong
    and where, so an administrator can fix it before anything is saved."""
    doc = _Reader(where)
    root = doc.mapping(document, "")
    doc.only(
        root, "", {"version", "title", "coverage", "other_charges", "exclusions", "expunged_by_law"}
    )
    version = doc.text(root.get("version"), "version")
    if len(version) > 60:
        doc.fail("version", "is longer than 60 characters")
    title = doc.text(root.get("title", version), "title")

    ids: set[str] = set()
    coverage = []
    for i, item in enumerate(doc.items(root.get("coverage"), "coverage")):
        at = f"coverage[{i}]"
        entry = doc.mapping(item, at)
        doc.only(entry, at, {"id", "motion_kind", "charges", "because"})
        coverage.append(
            Coverage(
                id=doc.rule_id(entry, at, ids),
                motion_kind=doc.choice(entry.get("motion_kind"), f"{at}.motion_kind", MotionKind),
                charges=doc.charges(entry.get("charges"), f"{at}.charges"),
                because=doc.text(entry.get("because"), f"{at}.because"),
            )
        )

    others_doc = doc.mapping(root.get("other_charges", {}), "other_charges")
    other_charges: dict[MotionKind, ScreeningResult] = {
        kind: ScreeningResult.NEEDS_REVIEW for kind in MotionKind
    }
    for key, value in others_doc.items():
        kind = doc.choice(key, "other_charges", MotionKind)
        result = doc.choice(value, f"other_charges.{key}", ScreeningResult)
        if result not in _OTHER_CHARGE_RESULTS:
            doc.fail(f"other_charges.{key}", "must be 'ineligible' or 'needs_review'")
        other_charges[kind] = result

    exclusions = []
    for i, item in enumerate(doc.items(root.get("exclusions", []), "exclusions", empty=True)):
        at = f"exclusions[{i}]"
        entry = doc.mapping(item, at)
        doc.only(entry, at, {"id", "person_flag", "case_fact", "because"})
        if ("person_flag" in entry) == ("case_fact" in entry):
            doc.fail(at, "needs exactly one of 'person_flag' or 'case_fact'")
        flag = None
        fact = None
        if "person_flag" in entry:
            flag = doc.choice(entry["person_flag"], f"{at}.person_flag", FlagKind)
        else:
            fact = doc.text(entry["case_fact"], f"{at}.case_fact")
            if fact not in CASE_FACTS:
                doc.fail(f"{at}.case_fact", f"'{fact}' is not one of: {', '.join(CASE_FACTS)}")
        exclusions.append(
            Exclusion(
                id=doc.rule_id(entry, at, ids),
                because=doc.text(entry.get("because"), f"{at}.because"),
                person_flag=flag,
                case_fact=fact,
            )
        )

    expunged = None
    if root.get("expunged_by_law") is not None:
        at = "expunged_by_law"
        entry = doc.mapping(root["expunged_by_law"], at)
        doc.only(entry, at, {"id", "motion_kinds", "charges", "because"})
        kinds = doc.items(entry.get("motion_kinds"), f"{at}.motion_kinds")
        expunged = ExpungedByLaw(
            id=doc.rule_id(entry, at, ids),
            motion_kinds=frozenset(
                doc.choice(k, f"{at}.motion_kinds[{j}]", MotionKind) for j, k in enumerate(kinds)
            ),
            charges=doc.charges(entry.get("charges"), f"{at}.charges"),
            because=doc.text(entry.get("because"), f"{at}.because"),
        )

    return RuleSet(
        version=version,
        title=title,
        coverage=tuple(coverage),
        other_charges=other_charges,
        exclusions=tuple(exclusions),
        expunged_by_law=expunged,
        document=document,
    )


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


class _Reader:
    """Reads one document, failing with the path of the offending part."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, at: str, problem: str) -> NoReturn:
        place = f" at {at}" if at else ""
        raise InvalidValueError(f"Rule set {self.where}{place}: {problem}. Nothing was saved.")

    def mapping(self, value: Any, at: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(at, "must be an object ({...})")
        return value

    def only(self, value: dict[str, Any], at: str, allowed: set[str]) -> None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(at, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")

    def items(self, value: Any, at: str, *, empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.fail(at, "must be a list ([...])")
        if not value and not empty:
            self.fail(at, "must not be empty")
        return value

    def text(self, value: Any, at: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(at, "must be non-empty text")
        return str(value).strip()

    def choice(self, value: Any, at: str, enum: type[Any]) -> Any:
        try:
            return enum(self.text(value, at))
        except ValueError:
            choices = ", ".join(m.value for m in enum)
            self.fail(at, f"'{value}' is not one of: {choices}")

    def rule_id(self, entry: dict[str, Any], at: str, seen: set[str]) -> str:
        rule_id = self.text(entry.get("id"), f"{at}.id")
        if rule_id in seen:
            self.fail(f"{at}.id", f"rule id '{rule_id}' is used twice")
        seen.add(rule_id)
        return rule_id

    def charges(self, value: Any, at: str) -> tuple[ChargeCode, ...]:
        codes = []
        for i, item in enumerate(self.items(value, at)):
            text = self.text(item, f"{at}[{i}]")
            code = parse_charge(text)
            if code is None:
                self.fail(f"{at}[{i}]", f"'{text}' is not a charge (write it like 'PL 221.05')")
            codes.append(code)
        return tuple(codes)
