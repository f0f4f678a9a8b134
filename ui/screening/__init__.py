"""Screening: the rules editor and the reviewed re-screen."""
