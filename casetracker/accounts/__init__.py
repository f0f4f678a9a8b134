"""Accounts, roles and permissions, sealed-record confidentiality and the audit trail.

A database without accounts is single-user (anyone who can open it acts under their login
name); once the first account exists, every command and the window need a signed-in user.
"""
