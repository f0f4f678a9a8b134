"""The intake form's contact and disposition fields (address, phone, email, language,
interpreter, consent to contact; conviction charges, court, disposition and its kind and date,
sentence, defense counsel on the case), kept here so the form only places them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from casetracker.domain.enums import DispositionKind
from casetracker.records.fields import parse_date


class IntakeExtras:
    def __init__(self) -> None:
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.language = QLineEdit()
        self.language.setPlaceholderText("e.g. Spanish")
        self.interpreter = QCheckBox()
        self.consent = QCheckBox()
        self.conviction = QLineEdit()
        self.conviction.setPlaceholderText("what the case ended in, if not the charge above")
        self.court = QLineEdit()
        self.court.setPlaceholderText("e.g. Criminal Court")
        self.disposition = QLineEdit()
        self.disposition.setPlaceholderText("as written, e.g. PG 240.20, DISM, ACD")
        self.kind = QComboBox()
        self.kind.addItem("(read from the wording)", None)
        for kind in DispositionKind:
            self.kind.addItem(kind.label, kind)
        self.disposition_date = QLineEdit()
        self.disposition_date.setPlaceholderText("e.g. 2012-09-14 or 9/14/2012")
        self.sentence = QLineEdit()
        self.counsel = QLineEdit()
        self.counsel.setPlaceholderText("who defended the person on this case")

    def person_rows(self) -> list[tuple[str, QWidget, str]]:
        return [
            ("Add&ress", self.address, "Address"),
            ("&Phone", self.phone, "Phone"),
            ("Email", self.email, "Email"),
            ("Lan&guage", self.language, "Language"),
            ("&Interpreter needed", self.interpreter, "Interpreter needed"),
            ("Consent &to contact", self.consent, "Consent to contact"),
        ]

    def case_rows(self) -> list[tuple[str, QWidget, str]]:
        return [
            ("Con&viction charges", self.conviction, "Conviction charges"),
            ("Court", self.court, "Court"),
            ("Disposition (as &written)", self.disposition, "Disposition"),
            ("Disposition kind", self.kind, "Disposition kind"),
            ("Disposition date", self.disposition_date, "Disposition date"),
            ("Sentence", self.sentence, "Sentence"),
            ("Defense counsel on the case", self.counsel, "Defense counsel on the case"),
        ]

    def person_values(self) -> dict[str, Any]:
        return {
            "address": self.address.text().strip() or None,
            "phone": self.phone.text().strip() or None,
            "email": self.email.text().strip() or None,
            "language": self.language.text().strip() or None,
            "interpreter_needed": self.interpreter.isChecked(),
            "consent_to_contact": self.consent.isChecked(),
        }

    def updates(self) -> dict[str, Any]:
        """For a person already on file: only what was given here (ticked or typed)."""
        return {name: value for name, value in self.person_values().items() if value}

    def case_values(self) -> dict[str, Any]:
        day = parse_date("disposition date", self.disposition_date.text())
        return {
            "conviction_charges": [
                c.strip() for c in self.conviction.text().split(";") if c.strip()
            ],
            "court": self.court.text().strip() or None,
            "disposition": self.disposition.text().strip() or None,
            "disposition_kind": self.kind.currentData(),
            "disposition_date": day,
            "sentence": self.sentence.text().strip() or None,
            "defense_counsel": self.counsel.text().strip() or None,
        }

    def clear(self) -> None:
        """The next person: everything cleared (none of it carries over to them)."""
        for editor in (
            self.address,
            self.phone,
            self.email,
            self.language,
            self.conviction,
            self.court,
            self.disposition,
            self.disposition_date,
            self.sentence,
            self.counsel,
        ):
            editor.clear()
        self.interpreter.setChecked(False)
        self.consent.setChecked(False)
        self.kind.setCurrentIndex(0)
