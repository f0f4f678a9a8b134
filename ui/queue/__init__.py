"""The prosecutor's queue."""
