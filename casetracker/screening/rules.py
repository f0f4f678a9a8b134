"""The eligibility rule set: read, validated and written as JSON.

A rule set is data the office owns. Charges are written the way the charge normalizer
displays them ("PL 221.05", "PL 221.10(1)", "AC 16-118"); a charge without a subdivision
covers every subdivision of that section, one with a subdivision covers only that one.

A rule set says from when it is in force (`effective_from`) and for which counties
(`counties`, all when absent), so an office can keep one set per county or share one, and a
motion is screened by the set in force for its county on its "as of" date. Exclusions are
worked out from the person's other cases through lists of law (codelists.py) and conditions
(`when`); the laws that expunged convictions carry their citation and effective date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from casetracker.domain.enums import County, DispositionKind, FlagKind, MotionKind, ScreeningResult
from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import ChargeCode
from casetracker.paths import resource_path
from casetracker.screening.codelists import CodeList, parse_code_lists, shipped_code_lists
from casetracker.screening.doc_reader import DocReader
from casetracker.screening.matching import covers, parse_charge

__all__ = ["covers", "parse_charge"]

SHIPPED_RULES = ("rules", "eligibility.json")
# Facts of a case that an exclusion may name: the Case attribute of the same name.
CASE_FACTS = ("smoking_while_driving",)
_OTHER_CHARGE_RESULTS = (ScreeningResult.INELIGIBLE, ScreeningResult.NEEDS_REVIEW)
_EXCLUSION_EFFECTS = (ScreeningResult.INELIGIBLE, ScreeningResult.NEEDS_REVIEW)
_KEYS = {
    "version",
    "title",
    "effective_from",
    "counties",
    "coverage",
    "other_charges",
    "exclusions",
    "expunged_by_law",
    "code_lists",
}
_WHEN_KEYS = {
    "other_conviction_in",
    "within_years",
    "other_open_felony",
    "case_charge_in",
    "age_at_offense_under",
    "age_at_offense_at_least",
    "offense_before",
    "offense_on_or_after",
    "county_in",
    "disposition_in",
}


@dataclass(frozen=True)
class Coverage:
    id: str
    motion_kind: MotionKind
    charges: tuple[ChargeCode, ...]
    because: str


@dataclass(frozen=True)
class When:
    """Conditions that must all hold for an exclusion to apply; unset ones are not checked."""

    other_conviction_in: str | None = None
    within_years: int | None = None
    other_open_felony: bool = False
    case_charge_in: str | None = None
    age_at_offense_under: int | None = None
    age_at_offense_at_least: int | None = None
    offense_before: date | None = None
    offense_on_or_after: date | None = None
    county_in: frozenset[County] = frozenset()
    disposition_in: frozenset[DispositionKind] = frozenset()


@dataclass(frozen=True)
class Exclusion:
    id: str
    because: str
    person_flag: FlagKind | None = None
    case_fact: str | None = None
    when: When | None = None
    effect: ScreeningResult = ScreeningResult.INELIGIBLE

    @property
    def subject(self) -> str:
        if self.person_flag is not None:
            return self.person_flag.label
        if self.case_fact is not None:
            return self.case_fact.replace("_", " ")
        return self.id.removeprefix("exclude-").replace("-", " ")


@dataclass(frozen=True)
class ExpungedByLaw:
    """One law that made convictions for these charges expunged, from its effective date."""

    id: str
    motion_kinds: frozenset[MotionKind]
    charges: tuple[ChargeCode, ...]
    because: str
    citation: str | None = None
    effective_from: date | None = None
    # A condition the law puts that the record cannot show ("marihuana was the only substance").
    only_if: str | None = None

    def in_force(self, as_of: date) -> bool:
        return self.effective_from is None or self.effective_from <= as_of


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    coverage: tuple[Coverage, ...]
    other_charges: dict[MotionKind, ScreeningResult]
    exclusions: tuple[Exclusion, ...]
    expunged_by_law: tuple[ExpungedByLaw, ...]
    # The document as written, so it can be shown and saved again unchanged.
    document: dict[str, Any]
    effective_from: date | None = None
    # Empty: every county.
    counties: frozenset[County] = frozenset()
    code_lists: Mapping[str, CodeList] = field(default_factory=dict)

    def coverage_for(self, kind: MotionKind) -> tuple[Coverage, ...]:
        return self._coverage_by_kind[kind]

    # Worked out once per rule set: screening asks for these for every motion.
    @cached_property
    def _coverage_by_kind(self) -> dict[MotionKind, tuple[Coverage, ...]]:
        return {k: tuple(c for c in self.coverage if c.motion_kind == k) for k in MotionKind}

    @cached_property
    def exclusion_ids(self) -> frozenset[str]:
        return frozenset(rule.id for rule in self.exclusions)

    @cached_property
    def exclusions_checked(self) -> str:
        return ", ".join(rule.subject for rule in self.exclusions) or "none in this rule set"

    def applies_to(self, county: County | None) -> bool:
        return not self.counties or county in self.counties

    def in_force(self, as_of: date) -> bool:
        return self.effective_from is None or self.effective_from <= as_of

    @property
    def scope(self) -> str:
        """Where and from when, in words: "Kings, Richmond from 2019-08-28"."""
        where = ", ".join(c.label for c in sorted(self.counties)) or "all counties"
        when = f" from {self.effective_from}" if self.effective_from else ""
        return where + when

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
    doc = DocReader(where)
    root = doc.mapping(document, "")
    doc.only(root, "", _KEYS)
    version = doc.text(root.get("version"), "version")
    if len(version) > 60:
        doc.fail("version", "is longer than 60 characters")
    title = doc.text(root.get("title", version), "title")
    effective = None
    if root.get("effective_from") is not None:
        effective = doc.day(root["effective_from"], "effective_from")
    counties = frozenset(
        doc.choice(c, f"counties[{i}]", County)
        for i, c in enumerate(doc.items(root.get("counties", []), "counties", empty=True))
    )

    code_lists = dict(shipped_code_lists())
    if "code_lists" in root:
        own = doc.items(root["code_lists"], "code_lists", empty=True)
        code_lists.update(parse_code_lists(own, doc, "code_lists"))

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

    exclusions = [
        _exclusion(item, doc, f"exclusions[{i}]", ids, code_lists)
        for i, item in enumerate(doc.items(root.get("exclusions", []), "exclusions", empty=True))
    ]

    laws: list[ExpungedByLaw] = []
    written = root.get("expunged_by_law")
    if isinstance(written, dict):
        # The first format held one law with no date; it reads as in force at any date.
        laws.append(_law(written, doc, "expunged_by_law", ids))
    elif written is not None:
        for i, item in enumerate(doc.items(written, "expunged_by_law", empty=True)):
            laws.append(_law(item, doc, f"expunged_by_law[{i}]", ids))

    return RuleSet(
        version=version,
        title=title,
        coverage=tuple(coverage),
        other_charges=other_charges,
        exclusions=tuple(exclusions),
        expunged_by_law=tuple(laws),
        document=document,
        effective_from=effective,
        counties=counties,
        code_lists=code_lists,
    )


def _exclusion(
    item: Any, doc: DocReader, at: str, ids: set[str], lists: Mapping[str, CodeList]
) -> Exclusion:
    entry = doc.mapping(item, at)
    doc.only(entry, at, {"id", "person_flag", "case_fact", "when", "because", "effect"})
    given = [key for key in ("person_flag", "case_fact", "when") if key in entry]
    if len(given) != 1:
        doc.fail(at, "needs exactly one of 'person_flag', 'case_fact' or 'when'")
    flag = None
    fact = None
    when = None
    if "person_flag" in entry:
        flag = doc.choice(entry["person_flag"], f"{at}.person_flag", FlagKind)
    elif "case_fact" in entry:
        fact = doc.text(entry["case_fact"], f"{at}.case_fact")
        if fact not in CASE_FACTS:
            doc.fail(f"{at}.case_fact", f"'{fact}' is not one of: {', '.join(CASE_FACTS)}")
    else:
        when = _when(entry["when"], doc, f"{at}.when", lists)
    effect = ScreeningResult.INELIGIBLE
    if "effect" in entry:
        effect = doc.choice(entry["effect"], f"{at}.effect", ScreeningResult)
        if effect not in _EXCLUSION_EFFECTS:
            doc.fail(f"{at}.effect", "must be 'ineligible' or 'needs_review'")
    return Exclusion(
        id=doc.rule_id(entry, at, ids),
        because=doc.text(entry.get("because"), f"{at}.because"),
        person_flag=flag,
        case_fact=fact,
        when=when,
        effect=effect,
    )


def _when(value: Any, doc: DocReader, at: str, lists: Mapping[str, CodeList]) -> When:
    entry = doc.mapping(value, at)
    doc.only(entry, at, _WHEN_KEYS)
    if not entry:
        doc.fail(at, "must name at least one condition")

    def list_id(key: str) -> str | None:
        if key not in entry:
            return None
        name = doc.text(entry[key], f"{at}.{key}")
        if name not in lists:
            known = ", ".join(sorted(lists))
            doc.fail(f"{at}.{key}", f"there is no code list '{name}' (lists: {known})")
        return name

    def number(key: str) -> int | None:
        return doc.number(entry[key], f"{at}.{key}") if key in entry else None

    def day(key: str) -> date | None:
        return doc.day(entry[key], f"{at}.{key}") if key in entry else None

    def choices(key: str, enum: type[Any]) -> frozenset[Any]:
        if key not in entry:
            return frozenset()
        items = doc.items(entry[key], f"{at}.{key}")
        return frozenset(doc.choice(v, f"{at}.{key}[{i}]", enum) for i, v in enumerate(items))

    other_open = entry.get("other_open_felony", False)
    if not isinstance(other_open, bool):
        doc.fail(f"{at}.other_open_felony", "must be true or false")
    when = When(
        other_conviction_in=list_id("other_conviction_in"),
        within_years=number("within_years"),
        other_open_felony=other_open,
        case_charge_in=list_id("case_charge_in"),
        age_at_offense_under=number("age_at_offense_under"),
        age_at_offense_at_least=number("age_at_offense_at_least"),
        offense_before=day("offense_before"),
        offense_on_or_after=day("offense_on_or_after"),
        county_in=choices("county_in", County),
        disposition_in=choices("disposition_in", DispositionKind),
    )
    if when.within_years is not None and when.other_conviction_in is None:
        doc.fail(f"{at}.within_years", "goes with 'other_conviction_in'")
    return when


def _law(item: Any, doc: DocReader, at: str, ids: set[str]) -> ExpungedByLaw:
    entry = doc.mapping(item, at)
    doc.only(
        entry,
        at,
        {"id", "motion_kinds", "charges", "because", "citation", "effective_from", "only_if"},
    )
    kinds = doc.items(entry.get("motion_kinds"), f"{at}.motion_kinds")
    return ExpungedByLaw(
        id=doc.rule_id(entry, at, ids),
        motion_kinds=frozenset(
            doc.choice(k, f"{at}.motion_kinds[{j}]", MotionKind) for j, k in enumerate(kinds)
        ),
        charges=doc.charges(entry.get("charges"), f"{at}.charges"),
        because=doc.text(entry.get("because"), f"{at}.because"),
        citation=doc.text(entry["citation"], f"{at}.citation") if "citation" in entry else None,
        effective_from=(
            doc.day(entry["effective_from"], f"{at}.effective_from")
            if "effective_from" in entry
            else None
        ),
        only_if=doc.text(entry["only_if"], f"{at}.only_if") if "only_if" in entry else None,
    )
