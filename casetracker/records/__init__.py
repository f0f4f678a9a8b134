"""Correcting the records: people (names, contact, flags), cases (court, dates, disposition),
charges and community events. Every change is written to the records' history (RecordEvent)
with what was before and after, is refused when the record changed since the editor read it,
and can be undone as one action."""
