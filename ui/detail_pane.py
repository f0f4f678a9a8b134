"""The selected motion in full: the person, all their cases and motions, the screening result
with its reasons, the history, and a button for each move allowed now."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from casetracker.services.motion_detail import ActionInfo, MotionDetail


def detail_html(detail: MotionDetail) -> str:
    e = escape
    parts = [
        f"<h2>{e(detail.person_name)}</h2>",
        "<p>",
        f"Born {e(str(detail.date_of_birth or 'unknown'))} · NYSID {e(detail.nysid or 'none')}",
    ]
    if detail.contact:
        parts.append(f"<br>Contact: {e(detail.contact)}")
    if detail.person_notes:
        parts.append(f"<br>{e(detail.person_notes)}")
    parts.append(f' · <a href="edit-person:{detail.person_id}">Edit person…</a></p>')
    if detail.flags:
        parts.append("<p><b>Flags:</b> " + e("; ".join(detail.flags)) + "</p>")
    parts.append(f"<h3>Motion {detail.motion_id}: {e(detail.kind)} · {e(detail.stage.label)}</h3>")
    if detail.court:
        parts.append(f"<p>{e(detail.court)}</p>")
    if detail.facts:
        parts.append("<table cellspacing='2'>")
        for label, value in detail.facts:
            parts.append(f"<tr><td><b>{e(label)}</b></td><td>{e(value)}</td></tr>")
        parts.append("</table>")
    result = detail.screening_result.label if detail.screening_result else "not screened yet"
    if detail.screening_result and detail.screening_ruleset:
        result += f" (rules {detail.screening_ruleset}"
        result += f", as of {detail.screening_as_of})" if detail.screening_as_of else ")"
    parts.append(f"<p><b>Screening:</b> {e(result)}</p>")
    if detail.screening_reasons:
        parts.append("<ul>")
        for reason in detail.screening_reasons:
            rule = e(str(reason.get("rule", "")))
            because = e(str(reason.get("because", "")))
            subject = e(str(reason.get("subject", "")))
            # The rule's id is for the rules editor; people read what it found.
            parts.append(f"<li title='{rule}'>{because}" + (f" ({subject})" if subject else ""))
        parts.append("</ul>")
    if detail.notifications or detail.can_notify:
        parts.append(notification_html(detail))
    parts.append(f"<h3>All motions of this person ({len(detail.motions)})</h3><ul>")
    for row in detail.motions:
        here = " ← this one" if row.id == detail.motion_id else ""
        parts.append(
            f'<li><a href="motion:{row.id}">{e(row.reference or f"motion {row.id}")}</a> '
            f"{e(row.kind.label)} · {e(row.stage.label)}{here}</li>"
        )
    parts.append(f"</ul><h3>Cases and charges ({len(detail.cases)})</h3><ul>")
    for case in detail.cases:
        extra = ", ".join(p for p in (case.county, case.disposition, case.warrant) if p)
        charges = "; ".join(case.charges) or "no charge recorded"
        edit = f' <a href="edit-case:{case.id}">Edit…</a>'
        parts.append(f"<li><b>{e(case.reference)}</b> {e(extra)}{edit}<br>{e(charges)}</li>")
    parts.append("</ul><h3>History</h3><table cellspacing='4'>")
    for item in detail.history:
        source = item.from_stage.label if item.from_stage else "—"
        parts.append(
            f"<tr><td>{item.at:%Y-%m-%d %H:%M}</td>"
            f"<td>{e(item.sentence or item.action)}</td>"
            f"<td>{e(source)} → {e(item.to_stage.label)}</td>"
            f"<td>{e(item.reason)}</td></tr>"
        )
    parts.append("</table>")
    if detail.corrections:
        parts.append("<h3>Corrections to the record</h3><table cellspacing='4'>")
        for fix in detail.corrections:
            parts.append(
                f"<tr><td>{fix.at:%Y-%m-%d %H:%M}</td><td>{e(fix.user)}</td>"
                f"<td>{e(fix.what)}</td><td>{e(fix.reason)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


def notification_html(detail: MotionDetail) -> str:
    """The latest attempt at telling the person, the earlier ones, and a link to add one."""
    e = escape
    latest = detail.notifications[0] if detail.notifications else "no attempt yet"
    parts = [f"<p><b>Notification:</b> {e(latest)}"]
    if detail.can_notify:
        parts.append(f' · <a href="notify:{detail.motion_id}">Record an attempt…</a>')
    parts.append("</p>")
    if len(detail.notifications) > 1:
        earlier = "".join(f"<li>{e(text)}</li>" for text in detail.notifications[1:])
        parts.append(f"<ul>{earlier}</ul>")
    return "".join(parts)


class DetailPane(QWidget):
    action_chosen = Signal(object)
    motion_link_clicked = Signal(int)
    # The motion whose papers (notice, affirmation, proposed order) the user asked for.
    papers_requested = Signal(int)
    # ("edit-person", "edit-case" or "notify", id): asked for from the pane's links.
    edit_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: MotionDetail | None = None
        self.text = QTextBrowser()
        self.text.setAccessibleName("Motion details")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._link)
        self.actions_label = QLabel("Actions:")
        self.buttons: dict[str, QPushButton] = {}
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.actions_label)
        self.button_row.addStretch(1)
        self.papers_button = QPushButton("&Papers…")
        self.papers_button.setToolTip(
            "Notice of motion, affirmation and proposed order for this motion (.docx or .pdf)"
        )
        self.papers_button.clicked.connect(self._papers)
        self.button_row.addWidget(self.papers_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addLayout(self.button_row)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.detail = None
        self.text.setHtml("<p>Select a motion to see it here.</p>")
        self._set_buttons([])
        self.papers_button.setEnabled(False)

    def show_detail(self, detail: MotionDetail) -> None:
        self.detail = detail
        self.text.setHtml(detail_html(detail))
        self._set_buttons(detail.actions)
        self.papers_button.setEnabled(True)

    def _set_buttons(self, actions: list[ActionInfo]) -> None:
        for button in self.buttons.values():
            self.button_row.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.actions_label.setText("Actions:" if actions else "No moves are possible from here.")
        for position, action in enumerate(actions):
            button = QPushButton(action.label)
            button.setAccessibleName(f"{action.label}: move to {action.target.label}")
            button.setToolTip(f"Move to {action.target.label}")
            if action.blocked_by:
                # Shown, so the user sees the step exists, but not offered: it would be refused.
                button.setEnabled(False)
                button.setToolTip("Not possible yet: needs " + "; ".join(action.blocked_by))
            button.setProperty("action_info", action)
            button.clicked.connect(self._clicked)
            self.button_row.insertWidget(position + 1, button)
            self.buttons[action.action] = button

    def _clicked(self) -> None:
        button = self.sender()
        action = button.property("action_info") if button is not None else None
        if isinstance(action, ActionInfo):
            self.action_chosen.emit(action)

    def _papers(self) -> None:
        if self.detail is not None:
            self.papers_requested.emit(self.detail.motion_id)

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("motion:"):
            self.motion_link_clicked.emit(int(text.split(":", 1)[1]))
        elif text.startswith(("edit-person:", "edit-case:", "notify:")):
            kind, number = text.split(":", 1)
            self.edit_requested.emit(kind, int(number))
