"""Cleaning identifiers, charges, dates and names as typed by people or read from spreadsheets.

Every normalizer keeps what was typed, returns None for empty or unusable input, and explains
in plain words anything it could not read or had to guess.
"""

from casetracker.normalize.charges import (
    KNOWN_CHARGES,
    ChargeCode,
    charge_class,
    describe,
    normalize_charge,
    normalize_charges,
)
from casetracker.normalize.dates import normalize_date, parse_typed_date
from casetracker.normalize.disposition import classify_disposition
from casetracker.normalize.docket import docket_search_key, normalize_docket, normalize_summons
from casetracker.normalize.names import PersonName, fold, make_name, name_key, parse_name
from casetracker.normalize.nysid import normalize_nysid
from casetracker.normalize.result import Normalized

__all__ = [
    "KNOWN_CHARGES",
    "ChargeCode",
    "Normalized",
    "PersonName",
    "charge_class",
    "classify_disposition",
    "describe",
    "docket_search_key",
    "fold",
    "make_name",
    "name_key",
    "normalize_charge",
    "normalize_charges",
    "normalize_date",
    "parse_typed_date",
    "normalize_docket",
    "normalize_nysid",
    "normalize_summons",
    "parse_name",
]
