"""The features that add themselves to the main window: each module has install(window).

Listing them here (rather than in the window) keeps the window small and lets a feature be
added or removed by one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class Feature(Protocol):
    def install(self, window: MainWindow) -> None: ...


def installed_features() -> list[Feature]:
    from ui import backups, help_menu, office_settings_menu, reports
    from ui.accounts import feature as accounts
    from ui.importing import feature as import_feature
    from ui.papers import feature as papers
    from ui.records import feature as records
    from ui.screening import feature as screening

    features: list[Feature] = [
        import_feature,
        reports,
        screening,
        papers,
        records,
        office_settings_menu,
        backups,
        accounts,
        help_menu,
    ]
    return features
