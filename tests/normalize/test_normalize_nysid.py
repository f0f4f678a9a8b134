import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.normalize import normalize_nysid

NOT_A_NYSID = "does not look like a NYSID (8 digits and a letter); kept as typed"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12345678A", "12345678A"),
        ("12345678a", "12345678A"),
        (" 12345678A ", "12345678A"),
        ("1234 5678 A", "12345678A"),
        ("1234-5678-A", "12345678A"),
        ("12345678-a", "12345678A"),
        ("1234567B", "1234567B"),
        ("123456789C", "123456789C"),
        ("12345678", "12345678"),
        ("1234567", "1234567"),
        ("123456", "123456"),
        ("1234567890", "1234567890"),
        ("12345678.0", "12345678"),
        (12345678.0, "12345678"),
        (12345678, "12345678"),
    ],
)
def test_nysid_spellings_become_digits_and_an_uppercase_letter(
    typed: object, expected: str
) -> None:
    result = normalize_nysid(typed)
    assert result.value == expected
    assert result.warning is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("12345", "12345"),
        ("12345678901", "12345678901"),
        ("A12345678", "A12345678"),
        ("12345678AB", "12345678AB"),
        ("1234/5678A", "1234/5678A"),
        ("abc", "ABC"),
        ("12345678.5", "12345678.5"),
    ],
)
def test_odd_nysid_is_kept_with_a_warning_never_rejected(typed: str, kept: str) -> None:
    result = normalize_nysid(typed)
    assert result.value == kept
    assert result.warning == f"NYSID '{typed}' {NOT_A_NYSID}"


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan")])
def test_empty_nysid_is_none_without_warning(empty: object) -> None:
    result = normalize_nysid(empty)
    assert result.value is None
    assert result.warning is None
    assert result.as_typed == ""


@pytest.mark.parametrize("placeholder", ["N/A", "unknown", "NONE", "--", "#N/A"])
def test_placeholder_nysid_is_dropped_so_rows_are_not_matched_on_it(placeholder: str) -> None:
    result = normalize_nysid(placeholder)
    assert result.value is None
    assert result.warning == f"NYSID '{placeholder}' is a placeholder; left empty"


def test_as_typed_keeps_what_the_user_entered() -> None:
    assert normalize_nysid(" 1234-5678 a ").as_typed == "1234-5678 a"


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=string.digits, min_size=8, max_size=8),
    st.sampled_from(string.ascii_letters),
    st.lists(st.sampled_from(["", " ", "-", "  "]), min_size=9, max_size=9),
)
def test_any_spacing_and_case_of_a_usual_nysid_is_accepted(
    digits: str, letter: str, separators: list[str]
) -> None:
    typed = "".join(sep + ch for sep, ch in zip(separators, digits + letter, strict=True))
    result = normalize_nysid(typed)
    assert result.value == digits + letter.upper()
    assert result.warning is None


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_nysid_never_raises_never_rejects_and_is_idempotent(value: object) -> None:
    result = normalize_nysid(value)
    if any(ch.isdigit() for ch in result.as_typed):
        assert result.value is not None
    if result.value is None:
        assert result.as_typed.strip() == "" or result.warning is not None
        return
    again = normalize_nysid(result.value)
    assert again.value == result.value
    assert (again.warning is None) == (result.warning is None)
