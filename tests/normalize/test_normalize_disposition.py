"""Dispositions as court records and lists write them: only a conviction leaves something to
vacate, so the more specific meaning must win ("NOT GUILTY" is not a conviction)."""

from __future__ import annotations

import pytest

from casetracker.domain.enums import DispositionKind as K
from casetracker.normalize.disposition import classify_disposition


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Pled guilty", K.CONVICTED),
        ("PG 240.20", K.CONVICTED),
        ("P/G", K.CONVICTED),
        ("Convicted after trial", K.CONVICTED),
        ("CONV - CD", K.CONVICTED),
        ("Guilty plea, $100 fine", K.CONVICTED),
        ("TIME SERVED", K.CONVICTED),
        ("Conditional discharge", K.CONVICTED),
        ("DISM", K.DISMISSED),
        ("Dismissed 30.30", K.DISMISSED),
        ("DISMISSED IN SATISFACTION", K.DISMISSED),
        ("Covered by plea on other docket", K.DISMISSED),
        ("Declined to prosecute", K.DISMISSED),
        ("ACD", K.ACD),
        ("A.C.D. 6 months", K.ACD),
        ("ACOD", K.ACD),
        ("ACD - dismissed and sealed", K.ACD),
        ("170.55", K.ACD),
        ("Adj. in contemplation of dismissal", K.ACD),
        ("YO", K.YOUTHFUL_OFFENDER),
        ("Y.O. adjudication", K.YOUTHFUL_OFFENDER),
        ("Pled guilty - youthful offender", K.YOUTHFUL_OFFENDER),
        ("Not guilty", K.ACQUITTED),
        ("ACQUITTED", K.ACQUITTED),
        ("Verdict: not guilty", K.ACQUITTED),
        ("Pending", K.PENDING),
        ("Bench warrant", K.PENDING),
        ("Abated by death", K.OTHER),
    ],
)
def test_written_dispositions_mean_what_they_say(written: str, kind: K) -> None:
    result = classify_disposition(written)
    assert result.value == kind
    assert result.as_typed == written
    assert result.warning is None


def test_an_unknown_disposition_is_kept_with_a_warning() -> None:
    result = classify_disposition("Referred to ICE")
    assert result.value is None
    assert result.as_typed == "Referred to ICE"
    assert result.warning is not None and "Referred to ICE" in result.warning


@pytest.mark.parametrize("empty", [None, "", "  ", "N/A", "-"])
def test_empty_cells_have_no_disposition_and_no_warning(empty: object) -> None:
    result = classify_disposition(empty)
    assert result.value is None
    assert result.warning is None
