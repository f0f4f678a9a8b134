"""Importing open-warrant and conviction lists from spreadsheets: read, locate, map, validate,
plan, commit in one transaction, and report every problem at once."""
