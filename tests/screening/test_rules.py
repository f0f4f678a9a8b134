"""The rule-set file: shipped defaults, validation with a message that says where, saving a
new version in the database."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from casetracker.domain.enums import County
from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import normalize_charge
from casetracker.screening.codelists import shipped_code_lists
from casetracker.screening.rules import covers, parse_rules, shipped_rules
from casetracker.screening.store import current_rules, rule_library, save_rules, saved_versions
from casetracker.storage.db import Database


def shipped_doc() -> dict[str, Any]:
    return json.loads(shipped_rules().to_json())


def test_shipped_rules_hold_the_domain_defaults() -> None:
    rules = shipped_rules()
    conviction = [c.display for c in rules.coverage[0].charges]
    assert conviction == ["PL 221.05", "PL 221.10", "PL 221.15"]
    warrant = [c.display for cov in rules.coverage[1:] for c in cov.charges]
    assert warrant == ["PL 221.05", "PL 221.10(1)", "AC 16-118", "AC 10-125"]
    laws = {law.id: law for law in rules.expunged_by_law}
    assert {law: [c.display for c in laws[law].charges] for law in laws} == {
        "expunged-2019-ch131": ["PL 221.05", "PL 221.10"],
        "expunged-2021-mrta": [
            "PL 221.05",
            "PL 221.10",
            "PL 221.15",
            "PL 221.20",
            "PL 221.35",
            "PL 221.40",
        ],
        "expunged-2021-mrta-loitering": ["PL 240.36"],
        "expunged-2021-mrta-concentrated-cannabis": ["PL 220.03", "PL 220.06"],
    }
    assert laws["expunged-2019-ch131"].effective_from == date(2019, 8, 28)
    assert all(laws[i].effective_from == date(2021, 3, 31) for i in laws if "2021" in i)
    assert all(law.citation and "160.50(3)(k)" in law.citation for law in laws.values())
    assert (
        laws["expunged-2021-mrta-loitering"].only_if == "marihuana was the only substance involved"
    )
    assert rules.effective_from == date(2018, 9, 1) and not rules.counties


@pytest.mark.parametrize(
    ("code_list", "typed", "listed"),
    [
        ("sex-offenses", "PL 130.35", True),
        ("sex-offenses", "PL 1303500", True),
        ("sex-offenses", "130.52", True),
        ("sex-offenses", "PL 135.20", False),
        ("violent-felony-offenses", "PL 160.15", True),
        ("violent-felony-offenses", "PL 130.30(1)", True),
        ("violent-felony-offenses", "PL 130.30(2)", False),
        ("violent-felony-offenses", "PL 265.02(7)", True),
        ("violent-felony-offenses", "PL 265.02(1)", False),
        ("violent-felony-offenses", "PL 155.25", False),
        ("registrable-offenses", "PL 263.11", True),
        ("drug-impaired-driving", "VTL 1192.4", True),
        ("drug-impaired-driving", "VTL 1192.3", False),
    ],
)
def test_shipped_code_lists_with_their_citations(code_list: str, typed: str, listed: bool) -> None:
    lists = shipped_code_lists()
    assert all(found.citation for found in lists.values())
    code = normalize_charge(typed).value
    assert code is not None
    assert (lists[code_list].match(code) is not None) is listed


def test_a_conditional_listing_says_its_condition() -> None:
    code = normalize_charge("PL 135.20").value
    assert code is not None
    entry = shipped_code_lists()["registrable-offenses"].match(code)
    assert entry is not None and entry.only_if and "under seventeen" in entry.only_if


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
        (lambda d: d["exclusions"][6].update(person_flag="speeding"), "exclusions[6].person_flag"),
        (
            lambda d: d["exclusions"][0]["when"].update(other_conviction_in="felonies"),
            "no code list 'felonies'",
        ),
        (lambda d: d["exclusions"][0]["when"].update(within_years=-1), "whole number"),
        (lambda d: d["exclusions"][0].update(effect="eligible"), "exclusions[0].effect"),
        (lambda d: d.update(effective_from="1 Sept 2018"), "not a date"),
        (lambda d: d.update(counties=["brooklyn"]), "counties[0]"),
        (lambda d: d["expunged_by_law"][0].update(effective_from="2019"), "effective_from"),
        (lambda d: d["exclusions"][0]["when"].update(age="18"), "unknown key 'age'"),
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


def test_each_county_gets_the_rule_set_in_force_on_the_date(db: Database) -> None:
    """Kings and Richmond share one set from 2019; Kings gets its own from 2027 (saved now,
    not yet in force); the other counties keep the shipped set, which starts 2018-09-01."""
    shared = shipped_doc() | {
        "version": "kings-richmond-2019",
        "effective_from": "2019-01-01",
        "counties": ["kings", "richmond"],
    }
    kings = shipped_doc() | {
        "version": "kings-2027",
        "effective_from": "2027-01-01",
        "counties": ["kings"],
    }
    with db.unit_of_work() as session:
        save_rules(session, json.dumps(shared), user="admin")
        save_rules(session, json.dumps(kings), user="admin")
    with db.unit_of_work() as session:
        library = rule_library(session)

    def chosen(county: County | None, day: date) -> str | None:
        found = library.choose(county, day)
        return found.version if found else None

    assert chosen(County.KINGS, date(2026, 12, 2)) == "kings-richmond-2019"
    assert chosen(County.RICHMOND, date(2027, 6, 1)) == "kings-richmond-2019"
    assert chosen(County.KINGS, date(2027, 1, 1)) == "kings-2027"
    assert chosen(County.QUEENS, date(2027, 1, 1)) == "2018-office-2"
    assert chosen(County.KINGS, date(2018, 12, 31)) == "2018-office-2"
    assert chosen(County.BRONX, date(2018, 8, 31)) is None
