import dataclasses
from datetime import date

import pytest

import casetracker.normalize as normalize
from casetracker.normalize import Normalized


def test_normalized_is_frozen_and_warning_defaults_to_none() -> None:
    result: Normalized[date] = Normalized(date(1998, 3, 4), "3/4/98")
    assert result.warning is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = None  # type: ignore[misc]


def test_package_exports_the_public_api() -> None:
    for name in [
        "Normalized",
        "normalize_docket",
        "docket_search_key",
        "normalize_summons",
        "normalize_nysid",
        "ChargeCode",
        "normalize_charge",
        "describe",
        "charge_class",
        "normalize_date",
        "PersonName",
        "parse_name",
        "make_name",
        "name_key",
        "fold",
    ]:
        assert name in normalize.__all__
        assert callable(getattr(normalize, name))
