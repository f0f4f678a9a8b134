"""Reports and exports: the weekly status report, court lists, defender lists, table exports.

Every file written here goes through safe_text, so text a person typed never runs as a formula.
"""
