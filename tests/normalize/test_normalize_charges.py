import string
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.normalize import (
    KNOWN_CHARGES,
    ChargeCode,
    charge_class,
    describe,
    normalize_charge,
)
from casetracker.normalize.charges import normalize_charges

PL_221_05 = ChargeCode("PL", "221.05", None)
PL_221_10_1 = ChargeCode("PL", "221.10", "1")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("PL 221.05", PL_221_05),
        ("221.05", PL_221_05),
        ("PL221.05", PL_221_05),
        ("pl 221.05", PL_221_05),
        ("P.L. 221.05", PL_221_05),
        ("P.L.221.05", PL_221_05),
        ("P L 221.05", PL_221_05),
        ("PL-221.05", PL_221_05),
        ("PL § 221.05", PL_221_05),
        ("Penal Law 221.05", PL_221_05),
        ("PENAL LAW §221.05", PL_221_05),
        ("  PL   221.05  ", PL_221_05),
        ("PL 221.05 UNLAWFUL POSSESSION MARIJUANA", PL_221_05),
        ("PL 221.05 - UNLAWFUL POSSESSION MARIJUANA", PL_221_05),
        ("UNLAWFUL POSSESSION MARIJUANA PL 221.05", PL_221_05),
        ("UNLAWFUL POSS MARIJ (PL 221.05)", PL_221_05),
        ("UNLAWFUL POSSESSION MARIJUANA 221.05", PL_221_05),
        ("ACD 221.05", PL_221_05),
        ("PL 2210500", PL_221_05),
        ("pl2210500", PL_221_05),
        ("2210500", PL_221_05),
        ("221.05 4 & 5", PL_221_05),
        ("PL 221.10(1)", PL_221_10_1),
        ("PL 221.10 (1)", PL_221_10_1),
        ("PL 221.10( 1 )", PL_221_10_1),
        ("221.10 sub 1", PL_221_10_1),
        ("221.10 SUB. 1", PL_221_10_1),
        ("221.10 subd 1", PL_221_10_1),
        ("221.10 subd. 01", PL_221_10_1),
        ("221.10, subdivision 1", PL_221_10_1),
        ("221.10 subdiv 1", PL_221_10_1),
        ("221.10 S/D 1", PL_221_10_1),
        ("221.10-1", PL_221_10_1),
        ("221.10 - 1", PL_221_10_1),
        ("221.10.1", PL_221_10_1),
        ("PL 221.10 01", PL_221_10_1),
        ("PL 221.10 1", PL_221_10_1),
        ("PL 2211001", PL_221_10_1),
        ("PL 2211001 CRIM POSS MARIHUANA 5", PL_221_10_1),
        ("PL 221.10(1) CRIM POSS MARIHUANA 5TH", PL_221_10_1),
        ("PL 221.10 00", ChargeCode("PL", "221.10", None)),
        ("PL 221.10(2)", ChargeCode("PL", "221.10", "2")),
        ("PL 221.10 1ST DEG", ChargeCode("PL", "221.10", None)),
        ("PL 2403700", ChargeCode("PL", "240.37", None)),
        ("PL 2210501 00", ChargeCode("PL", "221.05", "1")),
        ("PL 0700200", ChargeCode("PL", "70.02", None)),
        ("PL 240.20", ChargeCode("PL", "240.20", None)),
        ("PL 240.20 DISORDERLY CONDUCT", ChargeCode("PL", "240.20", None)),
        ("PL 140.10", ChargeCode("PL", "140.10", None)),
        ("PL 240.36", ChargeCode("PL", "240.36", None)),
        ("PL 120.05(2)", ChargeCode("PL", "120.05", "2")),
        ("PL 140.17(1)(a)", ChargeCode("PL", "140.17", "1a")),
        ("VTL 1192.3", ChargeCode("VTL", "1192", "3")),
        ("VTL 1192(3)", ChargeCode("VTL", "1192", "3")),
        ("V.T.L. 1192.03", ChargeCode("VTL", "1192", "3")),
        ("VTL1192 SUB 3", ChargeCode("VTL", "1192", "3")),
        ("VTL 0511.1A", ChargeCode("VTL", "511", "1a")),
        ("VTL 511(1)(a)", ChargeCode("VTL", "511", "1a")),
        ("VTL 1180(b)", ChargeCode("VTL", "1180", "b")),
        ("Vehicle and Traffic Law 509", ChargeCode("VTL", "509", None)),
        ("AC 10-125", ChargeCode("AC", "10-125", None)),
        ("AC 10-125 OPEN CONTAINER", ChargeCode("AC", "10-125", None)),
        ("A.C. 10-125", ChargeCode("AC", "10-125", None)),
        ("ac 10 - 125", ChargeCode("AC", "10-125", None)),
        ("NYC AC 10-125", ChargeCode("AC", "10-125", None)),
        ("Admin Code 16-118", ChargeCode("AC", "16-118", None)),
        ("AC 10-125(b)", ChargeCode("AC", "10-125", "b")),
        ("AC 10-125B", ChargeCode("AC", "10-125", "b")),
        ("PHL 3305", ChargeCode("PHL", "3305", None)),
        ("ABC 65-B", ChargeCode("ABC", "65-b", None)),
        ("GBL 399-e(1)", ChargeCode("GBL", "399-e", "1")),
    ],
)
def test_charge_spellings(typed: str, expected: ChargeCode) -> None:
    result = normalize_charge(typed)
    assert result.value == expected
    assert result.warning is None
    assert result.as_typed == typed.strip()


@pytest.mark.parametrize(
    ("code", "display"),
    [
        (PL_221_05, "PL 221.05"),
        (PL_221_10_1, "PL 221.10(1)"),
        (ChargeCode("VTL", "511", "1a"), "VTL 511(1)(a)"),
        (ChargeCode("VTL", "1180", "b"), "VTL 1180(b)"),
        (ChargeCode("AC", "10-125", None), "AC 10-125"),
        (ChargeCode("XX", "1", "odd-one"), "XX 1(odd-one)"),
    ],
)
def test_display(code: ChargeCode, display: str) -> None:
    assert code.display == display


@pytest.mark.parametrize(
    "typed",
    [
        "MARIJUANA, POSSESSION 4 & 5",
        "UNLAWFUL POSSESSION MARIJUANA",
        "PL",
        "PL 22105",
        "1192.3",
        "VTL 0511001",
        "?",
    ],
)
def test_charge_without_a_law_section_is_empty_and_flagged(typed: str) -> None:
    result = normalize_charge(typed)
    assert result.value is None
    assert result.warning == f"Charge '{typed}' has no law section; left empty"


@pytest.mark.parametrize("empty", [None, "", "  ", float("nan")])
def test_empty_charge(empty: object) -> None:
    result = normalize_charge(empty)
    assert result.value is None
    assert result.warning is None


def test_number_cell_that_lost_its_final_zero() -> None:
    assert normalize_charge(221.1).value == ChargeCode("PL", "221.10", None)
    assert normalize_charge(221.05).value == PL_221_05
    assert normalize_charge(2210500).value == PL_221_05


def test_text_that_lost_its_final_zero_is_read_and_flagged() -> None:
    result = normalize_charge("221.1")
    assert result.value == ChargeCode("PL", "221.10", None)
    assert result.warning is not None
    assert "PL 221.10" in result.warning


def test_several_charges_in_one_cell_use_the_first_and_say_so() -> None:
    result = normalize_charge("PL 221.05, PL 221.10")
    assert result.value == PL_221_05
    assert result.warning == (
        "Charge 'PL 221.05, PL 221.10' names more than one law section; used the first, PL 221.05"
    )


def test_the_same_charge_written_twice_is_not_flagged() -> None:
    result = normalize_charge("PL 221.05 (PL 221.05)")
    assert result.value == PL_221_05
    assert result.warning is None


@pytest.mark.parametrize(
    ("code", "description", "klass"),
    [
        (PL_221_05, "Unlawful possession of marihuana", "violation"),
        (PL_221_10_1, "Criminal possession of marihuana in the fifth degree", "B misdemeanor"),
        (
            ChargeCode("PL", "221.15", None),
            "Criminal possession of marihuana in the fourth degree",
            "A misdemeanor",
        ),
        (
            ChargeCode("PL", "221.20", None),
            "Criminal possession of marihuana in the third degree",
            "E felony",
        ),
        (
            ChargeCode("PL", "221.35", None),
            "Criminal sale of marihuana in the fifth degree",
            "B misdemeanor",
        ),
        (
            ChargeCode("PL", "221.40", None),
            "Criminal sale of marihuana in the fourth degree",
            "A misdemeanor",
        ),
        (ChargeCode("PL", "240.36", None), "Loitering in the first degree", "B misdemeanor"),
        (ChargeCode("PL", "240.20", None), "Disorderly conduct", "violation"),
        (
            ChargeCode("PL", "140.10", None),
            "Criminal trespass in the third degree",
            "B misdemeanor",
        ),
        (
            ChargeCode("AC", "10-125", "b"),
            "Consumption of alcohol in public (open container)",
            "violation",
        ),
        (ChargeCode("AC", "16-118", None), "Littering", "violation"),
    ],
)
def test_known_charges_are_described_and_classed(
    code: ChargeCode, description: str, klass: str
) -> None:
    assert describe(code) == description
    assert charge_class(code) == klass


def test_unknown_charge_has_no_description_or_class() -> None:
    code = ChargeCode("PL", "999.99", None)
    assert describe(code) is None
    assert charge_class(code) is None
    assert describe(ChargeCode("VTL", "221.05", None)) is None


def test_described_charges_read_back_from_their_own_display() -> None:
    for law, section in KNOWN_CHARGES:
        code = ChargeCode(law, section, None)
        assert normalize_charge(code.display).value == code


@st.composite
def charge_codes(draw: st.DrawFn) -> ChargeCode:
    law = draw(st.sampled_from(["PL", "VTL", "AC"]))
    letter = st.sampled_from(string.ascii_lowercase)
    number = st.integers(1, 99).map(str)
    if law == "PL":
        section = f"{draw(st.integers(1, 499))}.{draw(st.integers(0, 99)):02d}"
        subdivision = draw(st.one_of(st.none(), number, st.tuples(number, letter).map("".join)))
    elif law == "VTL":
        section = str(draw(st.integers(1, 9999)))
        subdivision = draw(
            st.one_of(st.none(), number, letter, st.tuples(number, letter).map("".join))
        )
    else:
        section = f"{draw(st.integers(1, 99))}-{draw(st.integers(1, 9999))}"
        subdivision = draw(st.one_of(st.none(), letter))
    return ChargeCode(law, section, subdivision)


@settings(max_examples=200, deadline=None)
@given(charge_codes(), st.sampled_from([str, str.lower, str.upper]))
def test_display_round_trips_through_normalize_charge(
    code: ChargeCode, case: Callable[[str], str]
) -> None:
    result = normalize_charge(case(code.display))
    assert result.value == code
    assert result.warning is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(100, 499),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["PL ", "PL", "pl ", ""]),
)
def test_open_data_code_form(whole: int, decimals: int, subdivision: int, prefix: str) -> None:
    result = normalize_charge(f"{prefix}{whole}{decimals:02d}{subdivision:02d}")
    expected_sub = str(subdivision) if subdivision else None
    assert result.value == ChargeCode("PL", f"{whole}.{decimals:02d}", expected_sub)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(100, 499),
    st.integers(0, 99),
    st.integers(1, 20),
    st.sampled_from(["({})", " sub {}", " SUBD {}", "-{}", " {:02d}", ".{}", " (  {} )"]),
    st.sampled_from(["PL ", "P.L. ", "pl", ""]),
    st.sampled_from(["", " UNLAWFUL POSSESSION", " CRIM POSS MARIHUANA 5"]),
)
def test_subdivision_spellings(
    whole: int, decimals: int, subdivision: int, form: str, prefix: str, description: str
) -> None:
    typed = f"{prefix}{whole}.{decimals:02d}{form.format(subdivision)}{description}"
    result = normalize_charge(typed)
    assert result.value == ChargeCode("PL", f"{whole}.{decimals:02d}", str(subdivision))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_normalize_charge_never_raises(value: object) -> None:
    result = normalize_charge(value)
    if result.value is None:
        assert result.warning is not None or result.as_typed == ""
    else:
        assert normalize_charge(result.value.display).value == result.value


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("PL 221.10;VTL 1192.4", ["PL 221.10", "VTL 1192(4)"]),
        ("221.05 / 221.10", ["PL 221.05", "PL 221.10"]),
        ("PL 221.05, PL 240.20", ["PL 221.05", "PL 240.20"]),
        ("PL 221.10(1)\nAC 10-125", ["PL 221.10(1)", "AC 10-125"]),
        ("PL 221.05 & PL 221.05", ["PL 221.05"]),
        ("PL 2210500", ["PL 221.05"]),
    ],
)
def test_a_cell_with_several_charges_gives_each(cell: str, expected: list[str]) -> None:
    found = normalize_charges(cell)
    assert [n.value.display for n in found if n.value] == expected
    assert all(n.warning is None for n in found)


def test_a_cell_of_several_charges_keeps_each_ones_own_text() -> None:
    first, second = normalize_charges("PL 221.10 CPM 5TH; VTL 1192.4")
    assert first.as_typed == "PL 221.10 CPM 5TH"
    assert second.as_typed == "VTL 1192.4"


def test_a_cell_with_no_section_warns_once() -> None:
    (only,) = normalize_charges("UNLAWFUL POSSESSION MARIJUANA")
    assert only.value is None and only.warning is not None
    assert normalize_charges("") == []
