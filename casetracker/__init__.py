"""casetracker core: domain, storage, import, reports and documents. Never imports Qt."""

__version__ = "0.1.0"
