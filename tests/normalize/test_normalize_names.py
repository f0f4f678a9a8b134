import string
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.normalize import PersonName, fold, make_name, name_key, parse_name

COMBINING_ACCENTS = ["\u0301", "\u0300", "\u0302", "\u0303", "\u0308", "\u0327", "\u030c"]
WORDS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=12)
# "SMITH, JR" is a last name and a suffix, so a suffix cannot stand in for a first name.
GIVEN_NAMES = WORDS.filter(lambda word: word.upper() not in {"JR", "SR", "II", "III", "IV"})
LATIN_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F), max_size=30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SMITH, JOHN A", PersonName("Smith", "John", "A")),
        ("SMITH, JOHN A.", PersonName("Smith", "John", "A")),
        ("SMITH,JOHN", PersonName("Smith", "John", "")),
        ("smith, john", PersonName("Smith", "John", "")),
        ("  SMITH ,   JOHN   ALLEN  ", PersonName("Smith", "John", "Allen")),
        ("SMITH, MARY ANN ELIZABETH", PersonName("Smith", "Mary", "Ann Elizabeth")),
        ("SMITH, John", PersonName("Smith", "John", "")),
        ("O'BRIEN, PATRICK", PersonName("O'Brien", "Patrick", "")),
        ("O’BRIEN, PATRICK", PersonName("O’Brien", "Patrick", "")),
        ("D'ANGELO, ANTHONY", PersonName("D'Angelo", "Anthony", "")),
        ("MCDONALD, RONALD", PersonName("McDonald", "Ronald", "")),
        ("mcdonald, ronald", PersonName("McDonald", "Ronald", "")),
        ("DE LA CRUZ, MARIA", PersonName("De La Cruz", "Maria", "")),
        ("de la Cruz, Maria", PersonName("de la Cruz", "Maria", "")),
        ("JEAN-BAPTISTE, MARIE", PersonName("Jean-Baptiste", "Marie", "")),
        ("SMITH, JEAN-PAUL", PersonName("Smith", "Jean-Paul", "")),
        ("PEÑA, JOSÉ", PersonName("Peña", "José", "")),
        ("Peña, José", PersonName("Peña", "José", "")),
        ("MÜLLER, JÜRGEN", PersonName("Müller", "Jürgen", "")),
        ("MacDonald, Ian", PersonName("MacDonald", "Ian", "")),
        ("SMITH JR, JOHN", PersonName("Smith Jr", "John", "")),
        ("SMITH JR., JOHN", PersonName("Smith Jr", "John", "")),
        ("SMITH, JOHN JR", PersonName("Smith Jr", "John", "")),
        ("SMITH, JOHN A, JR.", PersonName("Smith Jr", "John", "A")),
        ("SMITH, JOHN A., III", PersonName("Smith III", "John", "A")),
        ("SMITH, JOHN SR", PersonName("Smith Sr", "John", "")),
        ("SMITH, JOHN IV", PersonName("Smith IV", "John", "")),
        ("SMITH II, JOHN", PersonName("Smith II", "John", "")),
        ("John Smith", PersonName("Smith", "John", "")),
        ("JOHN A SMITH", PersonName("Smith", "John", "A")),
        ("John Allen Smith", PersonName("Smith", "John", "Allen")),
        ("Maria de la Cruz", PersonName("de la Cruz", "Maria", "")),
        ("MARIA DE LA CRUZ", PersonName("De La Cruz", "Maria", "")),
        ("Ludwig van Beethoven", PersonName("van Beethoven", "Ludwig", "")),
        ("Maria Elena del Rio", PersonName("del Rio", "Maria", "Elena")),
        ("JOHN SMITH JR", PersonName("Smith Jr", "John", "")),
        ("JOHN SMITH, JR.", PersonName("Smith Jr", "John", "")),
        ("JOHN A. SMITH III", PersonName("Smith III", "John", "A")),
        ("JA'NAE SMITH", PersonName("Smith", "Ja'nae", "")),
        ("José Peña", PersonName("Peña", "José", "")),
    ],
)
def test_name_spellings(typed: str, expected: PersonName) -> None:
    result = parse_name(typed)
    assert result.value == expected
    assert result.warning is None
    assert result.as_typed == typed.strip()


@pytest.mark.parametrize(
    ("typed", "expected", "warning"),
    [
        ("SMITH", PersonName("Smith", "", ""), "Name 'SMITH' has one word; taken as the last name"),
        ("SMITH,", PersonName("Smith", "", ""), "Name 'SMITH,' has no first name"),
        (", JOHN", PersonName("", "John", ""), "Name ', JOHN' has no last name"),
        (", JR", PersonName("", "Jr", ""), "Name ', JR' has no last name"),
        (
            "SMITH, JR",
            PersonName("Smith Jr", "", ""),
            "Name 'SMITH, JR' has one word; taken as the last name",
        ),
    ],
)
def test_incomplete_names_are_kept_and_flagged(
    typed: str, expected: PersonName, warning: str
) -> None:
    result = parse_name(typed)
    assert result.value == expected
    assert result.warning == warning


@pytest.mark.parametrize("typed", ["123", ",", "--", "#"])
def test_names_without_letters_are_empty_and_flagged(typed: str) -> None:
    result = parse_name(typed)
    assert result.value is None
    assert result.warning == f"Name '{typed}' has no letters; left empty"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_name(empty: object) -> None:
    result = parse_name(empty)
    assert result.value is None
    assert result.warning is None


def test_a_lone_suffix_word_is_still_a_name() -> None:
    assert parse_name("JR").value == PersonName("Jr", "", "")


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (("SMITH", "JOHN", "A"), PersonName("Smith", "John", "A")),
        (("SMITH", "JOHN"), PersonName("Smith", "John", "")),
        (("  smith ", " john ", " a. "), PersonName("Smith", "John", "A")),
        (("O'BRIEN", "PATRICK", ""), PersonName("O'Brien", "Patrick", "")),
        (("MCDONALD", "RONALD", None), PersonName("McDonald", "Ronald", "")),
        (("DE LA CRUZ", "MARIA", ""), PersonName("De La Cruz", "Maria", "")),
        (("de la Cruz", "MARIA", ""), PersonName("de la Cruz", "Maria", "")),
        (("JEAN-BAPTISTE", "MARIE", ""), PersonName("Jean-Baptiste", "Marie", "")),
        (("PEÑA", "JOSÉ", ""), PersonName("Peña", "José", "")),
        (("SMITH JR", "JOHN", ""), PersonName("Smith Jr", "John", "")),
        (("SMITH, JR.", "JOHN", ""), PersonName("Smith Jr", "John", "")),
        (("SMITH III", "JOHN", ""), PersonName("Smith III", "John", "")),
        ((None, None, None), PersonName("", "", "")),
    ],
)
def test_make_name_cases_separate_columns_like_parse_name(
    columns: tuple[object, ...], expected: PersonName
) -> None:
    assert make_name(*columns) == expected


def test_make_name_and_parse_name_agree() -> None:
    parsed = parse_name("O'BRIEN-MCCOY, JEAN-PAUL A")
    assert parsed.value == make_name("O'BRIEN-MCCOY", "JEAN-PAUL", "A")
    assert parsed.value == PersonName("O'Brien-McCoy", "Jean-Paul", "A")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("Peña", "José"), ("PENA", "JOSE")),
        (("O'Brien", "Patrick"), ("OBRIEN", "PATRICK")),
        (("De La Cruz", "Maria"), ("DELACRUZ", "maria")),
        (("Jean-Baptiste", "Marie"), ("jean baptiste", "Marie")),
        (("Smith", "John", "A"), ("SMITH", "JOHN", "ALLEN")),
        (("Smith", "John", "A"), ("smith", "john")),
        (("Müller", "Jürgen"), ("MULLER", "JURGEN")),
        (("Søren", "Łukasz"), ("Soren", "Lukasz")),
        (("Straße", "Ana"), ("STRASSE", "ANA")),
    ],
)
def test_name_key_matches_the_same_person_across_files(
    left: tuple[str, ...], right: tuple[str, ...]
) -> None:
    assert name_key(*left) == name_key(*right)


def test_name_key_format_and_what_it_keeps_apart() -> None:
    assert name_key("Peña", "José", "A") == "pena|jose"
    assert name_key("Smith", "John") != name_key("John", "Smith")
    assert name_key("Smith Jr", "John") != name_key("Smith", "John")
    assert name_key("", "") == "|"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José PEÑA", "jose pena"),
        ("O'Brien", "obrien"),
        ("Jean-Baptiste, Marie", "jean baptiste marie"),
        ("  SMITH ,\tJOHN  A. ", "smith john a"),
        ("CR-003159-22BX", "cr 003159 22bx"),
        ("Straße", "strasse"),
        ("", ""),
        ("--", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@st.composite
def accented(draw: st.DrawFn, word: str) -> str:
    marks = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(COMBINING_ACCENTS)),
            min_size=len(word),
            max_size=len(word),
        )
    )
    decorated = "".join(ch + (mark or "") for ch, mark in zip(word, marks, strict=True))
    return unicodedata.normalize("NFC", decorated)


@settings(max_examples=200, deadline=None)
@given(st.data(), WORDS, WORDS, WORDS)
def test_name_key_ignores_accents(data: st.DataObject, last: str, first: str, middle: str) -> None:
    accented_last = data.draw(accented(last))
    accented_first = data.draw(accented(first))
    assert name_key(accented_last, accented_first) == name_key(last, first, middle)


@settings(max_examples=200, deadline=None)
@given(LATIN_TEXT, LATIN_TEXT, st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
def test_name_key_ignores_case(last: str, first: str, change: Callable[[str], str]) -> None:
    assert name_key(change(last), change(first)) == name_key(last, first)


@settings(max_examples=200, deadline=None)
@given(LATIN_TEXT)
def test_fold_is_idempotent_and_clean(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch.isalnum() or ch == " " for ch in folded)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), LATIN_TEXT, st.none(), st.integers()))
def test_parse_name_never_raises_and_returns_tidy_parts(text: object) -> None:
    result = parse_name(text)
    if result.value is None:
        assert result.warning is not None or result.as_typed.strip() == ""
        return
    for part in (result.value.last, result.value.first, result.value.middle):
        assert part == part.strip()
        assert "  " not in part
        assert "," not in part


@settings(max_examples=200, deadline=None)
@given(WORDS, GIVEN_NAMES, st.sampled_from([str.upper, str.lower]))
def test_comma_form_keeps_the_words_in_their_places(
    last: str, first: str, case: Callable[[str], str]
) -> None:
    result = parse_name(case(f"{last}, {first}"))
    assert result.value is not None
    assert name_key(result.value.last, result.value.first) == name_key(last, first)
    assert result.value.last[0].isupper()


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS, WORDS)
def test_mixed_case_parts_are_kept_as_typed(last: str, first: str, middle: str) -> None:
    def mixed(word: str) -> str:
        return "x" + word.upper() + "y"

    result = parse_name(f"{mixed(last)}, {mixed(first)} {mixed(middle)}")
    assert result.value == PersonName(mixed(last), mixed(first), mixed(middle))


@pytest.mark.parametrize(
    ("last", "first", "expected"),
    [
        ("gUTIERREZ", "zACHARY", ("Gutierrez", "Zachary")),
        ("sMITH-jONES", "aNA", ("Smith-Jones", "Ana")),
        ("DeJesus", "McKenzie", ("DeJesus", "McKenzie")),  # mixed case on purpose: kept
    ],
)
def test_names_typed_with_caps_lock_on_are_cased(
    last: str, first: str, expected: tuple[str, str]
) -> None:
    name = make_name(last, first)
    assert (name.last, name.first) == expected
