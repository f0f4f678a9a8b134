"""Benchmarks: figures measured against a baseline in the same run, printed by `bench`."""
