"""Correcting the records from the window: a person, a case and its charges, community events."""
