"""Screening motions against the office's eligibility rules, which are data, not code."""
