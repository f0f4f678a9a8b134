"""The rule-set file: shipped defaults, validation with a message that says where, saving a
new version in the database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import normalize_charge
from casetracker.screening.rules import covers, parse_rules, shipped_rules
from casetracker.screening.store import current_rules, save_rules, saved_versions
from casetracker.storage.db import Database


def shipped_doc() -> dict[str, Any]:
    return json.loads(shipped_rules().to_json())


def test_shipped_rules_hold_the_domain_defaults() -> None:
    rules = shipped_rules()
    conviction = [c.display for c in rules.coverage[0].charges]
    assert conviction == ["PL 221.05", "PL 221.10", "PL 221.15"]
    warrant = [c.display for cov in rules.coverage[1:] for c in cov.charges]
    assert warrant == ["PL 221.05", "PL 221.10(1)", "AC 16-118", "AC 10-125"]
    assert rules.expunged_by_law is not None
    assert len(rules.expunged_by_law.charges) == 7


@pytest.mark.parametrize(
    ("rule", "charge", "expected"),
    [
        ("PL 221.10", "PL 221.10(2)", True),
        ("PL 221.10(1)", "PL 221.10(1)", True),
        ("PL 221.10(1)", "PL 221.10(1)(a)", True),
        ("PL 221.10(1)", "PL 221.10(10)", False),
        ("PL 221.10(1)", "PL 221.10", False),
        ("PL 221.05", "PL 221.50", False),
    ],
)
def test_subdivision_matching(rule: str, charge: str, expected: bool) -> None:
    code_rule = normalize_charge(rule).value
    code_charge = normalize_charge(charge).value
    assert code_rule is not None and code_charge is not None
    assert covers(code_rule, code_charge) is expected


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("version"), "at version: must be non-empty text"),
        (lambda d: d["coverage"][1]["charges"].append("marijuana"), "coverage[1].charges[2]"),
        (lambda d: d["coverage"][0].update(motion_kind="pardon"), "'pardon' is not one of"),
        (lambda d: d["exclusions"][0].update(person_flag="speeding"), "exclusions[0].person_flag"),
        (lambda d: d["exclusions"][1].update(id="exclude-sex-offense"), "used twice"),
        (lambda d: d["other_charges"].update(warrant_dismissal="eligible"), "other_charges"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
    ],
)
def test_invalid_rules_are_refused_with_where(edit: Any, message: str) -> None:
    doc = shipped_doc()
    edit(doc)
    with pytest.raises(InvalidValueError, match="Nothing was saved") as error:
        parse_rules(doc, "the edited rules")
    assert message in str(error.value)


def test_saved_rules_replace_the_shipped_ones_and_need_a_new_version(db: Database) -> None:
    doc = shipped_doc()
    doc["coverage"][2]["charges"] = ["AC 16-118"]
    with pytest.raises(InvalidValueError, match="new version"), db.unit_of_work() as session:
        save_rules(session, json.dumps(doc), user="admin")
    doc["version"] = "2019-office-2"
    with db.unit_of_work() as session:
        save_rules(session, json.dumps(doc), user="admin", note="open container dropped")
    with db.unit_of_work() as session:
        rules = current_rules(session)
        assert rules.version == "2019-office-2"
        assert [c.display for c in rules.coverage[2].charges] == ["AC 16-118"]
        assert [v.version for v in saved_versions(session)] == ["2019-office-2"]
    with pytest.raises(InvalidValueError, match="same as"), db.unit_of_work() as session:
        save_rules(session, json.dumps(doc), user="admin")
