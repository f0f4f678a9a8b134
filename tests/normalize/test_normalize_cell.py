from datetime import date, datetime
from decimal import Decimal

import pytest

from casetracker.normalize.cell import cell_text, drop_float_suffix, is_placeholder


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        ("  abc \t", "abc"),
        (12345678, "12345678"),
        (12345678.0, "12345678"),
        (4412345678.0, "4412345678"),
        (221.05, "221.05"),
        (float("nan"), ""),
        (float("inf"), "inf"),
        (Decimal("35858.0"), "35858.0"),
        (date(1998, 3, 4), "1998-03-04"),
        (datetime(1998, 3, 4, 10, 30), "1998-03-04 10:30:00"),
        (True, "True"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize(
    "text", ["N/A", "n/a", "N / A", "NA", "none", "Unknown", "UNK", "TBD", "-", "#N/A", "#REF!"]
)
def test_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["", "NAN0", "12345678A", "SMITH", "2016SN016969", "0"])
def test_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("12345678.0", "12345678"),
        ("12345678.000", "12345678"),
        ("12345678.5", "12345678.5"),
        ("12345678", "12345678"),
        (".0", ".0"),
        ("A.0", "A.0"),
    ],
)
def test_drop_float_suffix(text: str, dropped: str) -> None:
    assert drop_float_suffix(text) == dropped
