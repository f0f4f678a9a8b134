"""What an empty database shows: the two ways to get started."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    load_demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>Case Tracker</h1>")
        text = QLabel(
            "This database has no motions yet.<br>Import a spreadsheet of open warrants,<br>"
            "or load demo data (fake people) to try the app."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton("&Import a spreadsheet…")
        self.import_button.setAccessibleName("Import a spreadsheet")
        self.demo_button = QPushButton("Load &demo data")
        self.demo_button.setAccessibleName("Load demo data")
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button.clicked.connect(self.load_demo_requested)
        for button in (self.import_button, self.demo_button):
            button.setMinimumWidth(260)
            button.setMinimumHeight(36)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (title, text, self.import_button, self.demo_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
