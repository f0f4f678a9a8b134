"""Reading a rule-set or code-list document, failing with the path of the offending part so
an administrator can fix it before anything is saved."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from casetracker.domain.errors import InvalidValueError
from casetracker.normalize import ChargeCode, normalize_charge


class RuleSetError(InvalidValueError):
    """A rule-set document is wrong at `at` (its path: "coverage[2].charges[0]"), so a form
    can point at the field."""

    def __init__(self, message: str, at: str, problem: str) -> None:
        super().__init__(message)
        self.at = at
        self.problem = problem


class DocReader:
    """Reads one document, failing with the path of the offending part."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, at: str, problem: str) -> NoReturn:
        place = f" at {at}" if at else ""
        raise RuleSetError(
            f"Rule set {self.where}{place}: {problem}. Nothing was saved.", at, problem
        )

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
            code = normalize_charge(text).value
            if code is None:
                self.fail(f"{at}[{i}]", f"'{text}' is not a charge (write it like 'PL 221.05')")
            codes.append(code)
        return tuple(codes)

    def day(self, value: Any, at: str) -> date:
        text = self.text(value, at)
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(at, f"'{text}' is not a date (write it as YYYY-MM-DD)")

    def number(self, value: Any, at: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(at, "must be a whole number, 0 or more")
        return value
