import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.normalize import docket_search_key, normalize_docket, normalize_summons

SEPARATORS = st.sampled_from(["", " ", "-", "  ", " - ", "--"])
OUTER = st.sampled_from(["", " ", "\t", "  "])


@st.composite
def random_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(ch.lower() if flip else ch.upper() for ch, flip in zip(text, flips, strict=True))


@st.composite
def old_dockets(draw: st.DrawFn) -> tuple[str, str]:
    year = draw(st.integers(1900, 2099))
    letters = draw(st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2))
    sequence = draw(st.integers(0, 999_999))
    padded = draw(st.booleans())
    seq_text = f"{sequence:06d}" if padded else str(sequence)
    sep1, sep2 = draw(SEPARATORS), draw(SEPARATORS)
    typed = f"{draw(OUTER)}{year}{sep1}{draw(random_case(letters))}{sep2}{seq_text}{draw(OUTER)}"
    return typed, f"{year}{letters}{sequence:06d}"


@st.composite
def cr_dockets(draw: st.DrawFn) -> tuple[str, str]:
    sequence = draw(st.integers(0, 999_999))
    year = draw(st.integers(0, 99))
    county = draw(st.sampled_from(["BX", "KN", "NY", "QN", "RI", "SN", "XY"]))
    padded = draw(st.booleans())
    seq_text = f"{sequence:06d}" if padded else str(sequence)
    seps = [draw(SEPARATORS) for _ in range(3)]
    # With no separator at all the sequence length is only known when it is padded.
    if not padded and seps[1] == "":
        seps[1] = "-"
    typed = (
        f"{draw(OUTER)}{draw(random_case('CR'))}{seps[0]}{seq_text}{seps[1]}{year:02d}"
        f"{seps[2]}{draw(random_case(county))}{draw(OUTER)}"
    )
    return typed, f"CR-{sequence:06d}-{year:02d}{county}"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2016SN016969", "2016SN016969"),
        ("2016sn016969", "2016SN016969"),
        ("2016 sn 016969", "2016SN016969"),
        ("  2016SN016969 ", "2016SN016969"),
        ("2016-SN-016969", "2016SN016969"),
        ("2016/SN/016969", "2016SN016969"),
        ("2016SN16969", "2016SN016969"),
        ("1998NY000001", "1998NY000001"),
        ("CR-003159-22BX", "CR-003159-22BX"),
        ("cr-003159-22bx", "CR-003159-22BX"),
        ("cr 003159 22 bx", "CR-003159-22BX"),
        ("CR-3159-22BX", "CR-003159-22BX"),
        ("CR003159-22BX", "CR-003159-22BX"),
        ("CR00315922BX", "CR-003159-22BX"),
        ("CR-003159-22-BX", "CR-003159-22BX"),
        ("CR--003159--22BX", "CR-003159-22BX"),
        ("CR-003159-22KN", "CR-003159-22KN"),
        ("CR-000001-99RI", "CR-000001-99RI"),
    ],
)
def test_known_docket_spellings_become_canonical(typed: str, expected: str) -> None:
    result = normalize_docket(typed)
    assert result.value == expected
    assert result.warning is None
    assert result.as_typed == typed.strip()


@pytest.mark.parametrize("empty", [None, "", "   ", "\t\n", float("nan")])
def test_empty_docket_is_none_without_warning(empty: object) -> None:
    result = normalize_docket(empty)
    assert result.value is None
    assert result.warning is None


@pytest.mark.parametrize("placeholder", ["N/A", "n/a", "UNKNOWN", "none", "-", "#N/A", "N / A"])
def test_placeholder_docket_is_dropped_with_warning(placeholder: str) -> None:
    result = normalize_docket(placeholder)
    assert result.value is None
    assert result.warning == f"Docket number '{placeholder}' is a placeholder; left empty"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("abc 123", "ABC123"),
        ("16SN016969", "16SN016969"),
        ("2016SN0169690", "2016SN0169690"),
        ("1816SN016969", "1816SN016969"),
        ("CR-003159-22", "CR-003159-22"),
        ("CR-0031590-22BX", "CR-0031590-22BX"),
        ("SUMMONS 123-45", "SUMMONS123-45"),
        ("12345", "12345"),
    ],
)
def test_unusual_docket_is_kept_uppercase_without_spaces_and_flagged(typed: str, kept: str) -> None:
    result = normalize_docket(typed)
    assert result.value == kept
    assert result.warning == f"Docket number '{typed}' has an unusual format; kept as typed"


def test_docket_from_a_number_cell_is_flagged_not_lost() -> None:
    result = normalize_docket(123456.0)
    assert result.value == "123456"
    assert result.warning is not None


@settings(max_examples=200, deadline=None)
@given(old_dockets())
def test_any_old_style_docket_spelling_normalizes_to_canonical(case: tuple[str, str]) -> None:
    typed, canonical = case
    result = normalize_docket(typed)
    assert result.value == canonical
    assert result.warning is None


@settings(max_examples=200, deadline=None)
@given(cr_dockets())
def test_any_cr_docket_spelling_normalizes_to_canonical(case: tuple[str, str]) -> None:
    typed, canonical = case
    result = normalize_docket(typed)
    assert result.value == canonical
    assert result.warning is None


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), old_dockets().map(lambda c: c[0]), cr_dockets().map(lambda c: c[0])))
def test_normalize_docket_is_idempotent(typed: str) -> None:
    first = normalize_docket(typed)
    if first.value is None:
        return
    again = normalize_docket(first.value)
    assert again.value == first.value
    assert (again.warning is None) == (first.warning is None)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2016SN016969", "2016sn016969"),
        ("CR-003159-22BX", "cr00315922bx"),
        (" cr 003159 22 bx ", "cr00315922bx"),
        ("２０１６ＳＮ", "2016sn"),
        ("", ""),
        ("--", ""),
    ],
)
def test_docket_search_key_keeps_lowercase_letters_and_digits(typed: str, key: str) -> None:
    assert docket_search_key(typed) == key


def test_partial_docket_typed_by_a_user_matches_the_stored_one() -> None:
    stored = docket_search_key("2016SN016969")
    assert docket_search_key("2016sn0169") in stored
    assert docket_search_key("SN 0169") in stored
    assert docket_search_key("CR-3159") not in stored


@settings(max_examples=200, deadline=None)
@given(st.one_of(old_dockets(), cr_dockets()), st.integers(0, 14))
def test_any_prefix_of_a_canonical_docket_matches_its_key(
    case: tuple[str, str], length: int
) -> None:
    canonical = case[1]
    key = docket_search_key(canonical)
    assert key.startswith(docket_search_key(canonical[:length].lower()))
    normalized = normalize_docket(case[0]).value
    assert normalized is not None
    assert docket_search_key(normalized) == key


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4412345678", "4412345678"),
        ("4412345678.0", "4412345678"),
        (4412345678.0, "4412345678"),
        (4412345678, "4412345678"),
        ("4412 345 678", "4412345678"),
        ("4412-345-678", "4412345678"),
        ("ab123456", "AB123456"),
        (" 0012345678 ", "0012345678"),
    ],
)
def test_summons_numbers(typed: object, expected: str) -> None:
    result = normalize_summons(typed)
    assert result.value == expected
    assert result.warning is None


def test_summons_in_scientific_notation_is_converted_and_flagged() -> None:
    result = normalize_summons("4.41235E+09")
    assert result.value == "4412350000"
    assert result.warning is not None
    assert "4.41235E+09" in result.warning
    assert "check" in result.warning


def test_unusual_summons_is_kept_and_flagged() -> None:
    result = normalize_summons("441/2345")
    assert result.value == "441/2345"
    assert result.warning == "Summons number '441/2345' has an unusual format; kept as typed"


@pytest.mark.parametrize(("empty", "warned"), [(None, False), ("  ", False), ("N/A", True)])
def test_empty_summons(empty: object, warned: bool) -> None:
    result = normalize_summons(empty)
    assert result.value is None
    assert (result.warning is not None) == warned


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_summons_never_raises_and_is_idempotent(value: object) -> None:
    first = normalize_summons(value)
    if first.value is not None:
        assert normalize_summons(first.value).value == first.value
