"""Lists of law the rules refer to by id (sex offenses, violent felony offenses, ...), each with
the statute it comes from. They ship as data (resources/rules/code_lists.json) and an office's
rule set may replace one by giving a list with the same id."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import ChargeCode, normalize_charge
from casetracker.paths import resource_path
from casetracker.screening.doc_reader import DocReader
from casetracker.screening.matching import covers

SHIPPED_LISTS = ("rules", "code_lists.json")
_ARTICLE_SUFFIX = ".*"


@dataclass(frozen=True)
class ListedCharge:
    """One entry of a list: a charge ("PL 130.35", "PL 130.30(1)") or a whole article
    ("PL 130.*"), with a condition the record cannot show when the law lists it only so."""

    display: str
    code: ChargeCode | None
    article: tuple[str, str] | None = None
    only_if: str | None = None

    def matches(self, charge: ChargeCode) -> bool:
        if self.article is not None:
            law, number = self.article
            return charge.law == law and charge.section.split(".")[0] == number
        return self.code is not None and covers(self.code, charge)


@dataclass(frozen=True)
class CodeList:
    id: str
    title: str
    citation: str
    entries: tuple[ListedCharge, ...]

    def match(self, charge: ChargeCode) -> ListedCharge | None:
        """The entry that lists `charge`; an unconditional entry wins over a conditional one."""
        found = [entry for entry in self.entries if entry.matches(charge)]
        found.sort(key=lambda entry: entry.only_if is not None)
        return found[0] if found else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "citation": self.citation,
            "charges": [
                {"charge": e.display, "only_if": e.only_if} if e.only_if else e.display
                for e in self.entries
            ],
        }


def parse_code_lists(items: Iterable[Any], doc: DocReader, at: str) -> dict[str, CodeList]:
    lists: dict[str, CodeList] = {}
    for i, item in enumerate(items):
        where = f"{at}[{i}]"
        entry = doc.mapping(item, where)
        doc.only(entry, where, {"id", "title", "citation", "charges"})
        list_id = doc.text(entry.get("id"), f"{where}.id")
        if list_id in lists:
            doc.fail(f"{where}.id", f"list id '{list_id}' is used twice")
        charges = [
            _entry(value, doc, f"{where}.charges[{j}]")
            for j, value in enumerate(doc.items(entry.get("charges"), f"{where}.charges"))
        ]
        lists[list_id] = CodeList(
            id=list_id,
            title=doc.text(entry.get("title", list_id), f"{where}.title"),
            citation=doc.text(entry.get("citation"), f"{where}.citation"),
            entries=tuple(charges),
        )
    return lists


def _entry(value: Any, doc: DocReader, at: str) -> ListedCharge:
    only_if = None
    if isinstance(value, dict):
        doc.only(value, at, {"charge", "only_if"})
        only_if = doc.text(value.get("only_if"), f"{at}.only_if")
        value = value.get("charge")
    text = doc.text(value, at)
    if text.endswith(_ARTICLE_SUFFIX):
        law, _, number = text.removesuffix(_ARTICLE_SUFFIX).strip().partition(" ")
        if not law.isalpha() or not number.strip().isdigit():
            doc.fail(at, f"'{text}' is not an article (write it like 'PL 130.*')")
        return ListedCharge(text, None, (law.upper(), str(int(number))), only_if)
    code = normalize_charge(text).value
    if code is None:
        doc.fail(at, f"'{text}' is not a charge (write it like 'PL 130.35' or 'PL 130.*')")
    return ListedCharge(code.display, code, None, only_if)


@cache
def shipped_code_lists() -> Mapping[str, CodeList]:
    path = resource_path(*SHIPPED_LISTS)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InvalidValueError(f"The shipped code lists {path} cannot be read: {error}.") from None
    doc = DocReader(path.name)
    root = doc.mapping(document, "")
    return parse_code_lists(doc.items(root.get("lists"), "lists"), doc, "lists")
