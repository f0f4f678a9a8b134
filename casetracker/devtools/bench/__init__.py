"""Benchmarks run as commands (`casetracker bench ...`), each against a baseline measured in
the same run, so the figures mean the same on any machine."""
