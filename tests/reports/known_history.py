"""A small office whose history is written move by move at chosen local times (New York),
so the weekly figures can be stated exactly and week boundaries are exercised."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from casetracker.domain.enums import (
    County,
    MotionKind,
    NotificationOutcome,
    ScreeningResult,
    Stage,
)
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.services.motions import advance, change_fields, undo_group

NEW_YORK = ZoneInfo("America/New_York")
WEEK_END = date(2025, 6, 15)  # a Sunday; the week is Mon 9 June to Sun 15 June
AS_OF = date(2025, 6, 20)


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


class Office:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0

    def new(
        self,
        when: datetime,
        *,
        last: str | None = None,
        county: County = County.KINGS,
        kind: MotionKind = MotionKind.CONVICTION_VACATUR,
        note: str | None = None,
    ) -> int:
        self.count += 1
        request = IntakeRequest(
            cases=[
                CaseInput(docket=f"2016SN{self.count:06d}", charges=["PL 221.05"], county=county)
            ],
            person=PersonInput(last=last or f"Testperson{chr(64 + self.count)}", first="Pat"),
            kind=kind,
            defense_org=note,
        )
        return intake(self.session, request, "intake.clerk", at=when).motion_ids[0]

    def move(
        self, motion_id: int, target: Stage, when: datetime, group: str | None = None, **values: Any
    ) -> None:
        user = values.pop("user", "clerk")
        reason = values.pop("reason", f"to {target.value}")
        action = values.pop("action", None)
        advance(
            self.session,
            motion_id,
            target,
            reason=reason,
            user=user,
            values=values,
            at=when,
            group_id=group,
            action=action,
        )

    def screen(self, motion_id: int, when: datetime) -> None:
        self.move(motion_id, Stage.SCREENED, when, screening_result=ScreeningResult.ELIGIBLE)


def build_known_office(session: Session) -> dict[str, int]:
    """Returns the motion ids by role; the docstring of each test says what it expects."""
    o = Office(session)
    ids: dict[str, int] = {}

    # Before the week: intake 1 June; in the week: verify, screen, consent.
    m = ids["consented"] = o.new(at(1, 10))
    o.move(m, Stage.VERIFIED, at(9, 10))
    o.screen(m, at(10, 11))
    o.move(m, Stage.CONSENTED, at(11, 15), user="ada.stone", assigned_prosecutor="ada.stone")

    # Intake 00:30 local on Monday (04:30 UTC): in the week. Opposed 23:30 local on Sunday,
    # which is already Monday in UTC: still in the week for the office.
    m = ids["opposed"] = o.new(at(9, 0, 30), kind=MotionKind.WARRANT_DISMISSAL, county=County.BRONX)
    o.screen(m, at(12, 9))
    o.move(m, Stage.OPPOSED, at(15, 23, 30), user="ada.stone")

    # 23:50 local on Sunday 8 June is 03:50 UTC on the 9th: not in the office's week.
    ids["before"] = o.new(at(8, 23, 50))
    # 00:10 local on Monday 16 June: after the week.
    ids["after"] = o.new(at(16, 0, 10))

    # Consented in the week, then the consent was undone in the same week: not counted.
    m = ids["undone"] = o.new(at(2, 9), county=County.NEW_YORK)
    o.move(m, Stage.VERIFIED, at(3, 9))
    o.screen(m, at(4, 9))
    o.move(m, Stage.CONSENTED, at(12, 10), group="g-undone")
    undo_group(session, "g-undone", user="supervisor", reason="wrong motion", at=at(12, 11))

    # An undo that was itself undone: the grant stands again.
    m = ids["granted"] = o.new(at(1, 9), county=County.NEW_YORK)
    o.move(m, Stage.VERIFIED, at(2, 9))
    o.screen(m, at(3, 9))
    o.move(m, Stage.CONSENTED, at(4, 9))
    o.move(m, Stage.FILED, at(5, 9), filed_date=date(2025, 6, 5))
    o.move(m, Stage.CALENDARED, at(6, 9), court_date=date(2025, 6, 13), court_part="AP1")
    o.move(m, Stage.GRANTED, at(13, 14), group="g-grant", order_date=date(2025, 3, 1))
    first_undo = undo_group(session, "g-grant", user="supervisor", at=at(13, 15))
    undo_group(session, first_undo, user="supervisor", at=at(13, 16))

    # A field change (assigning a prosecutor) is not movement.
    change_fields(
        session,
        [ids["consented"]],
        {"assigned_prosecutor": "ada.park"},
        action="assign",
        reason="reassigned",
        user="supervisor",
    )
    # A long-open motion from March: over 90 days in Intake by 20 June.
    ids["old"] = o.new(at(3, 9, month=3), county=County.QUEENS)
    # Adjourned in the week: calendared stays calendared, counted as an adjournment.
    m = ids["adjourned"] = o.new(at(1, 9), county=County.KINGS)
    o.move(m, Stage.VERIFIED, at(1, 10))
    o.screen(m, at(1, 11))
    o.move(m, Stage.CONSENTED, at(2, 9))
    o.move(m, Stage.FILED, at(3, 9), filed_date=date(2025, 6, 3))
    o.move(m, Stage.CALENDARED, at(4, 9), court_date=date(2025, 6, 10), court_part="AP1")
    o.move(m, Stage.CALENDARED, at(10, 12), action="adjourn", court_date=date(2025, 7, 8))
    # Sealed and notified long ago: the notification is not this week's.
    m = ids["notified"] = o.new(at(1, 9, month=3), county=County.RICHMOND)
    for target, when, values in (
        (Stage.VERIFIED, at(2, 9, month=3), {}),
        (Stage.SCREENED, at(3, 9, month=3), {"screening_result": ScreeningResult.ELIGIBLE}),
        (Stage.CONSENTED, at(4, 9, month=3), {}),
        (Stage.FILED, at(5, 9, month=3), {"filed_date": date(2025, 3, 5)}),
        (
            Stage.CALENDARED,
            at(6, 9, month=3),
            {"court_date": date(2025, 3, 20), "court_part": "AP1"},
        ),
        (Stage.GRANTED, at(20, 9, month=3), {"order_date": date(2025, 3, 20)}),
        (Stage.SEALED, at(1, 9, month=5), {"sealing_confirmed_date": date(2025, 5, 1)}),
        (
            Stage.NOTIFIED,
            at(11, 9),
            {
                "notification_date": date(2025, 6, 11),
                "notification_outcome": NotificationOutcome.DELIVERED,
            },
        ),
    ):
        o.move(m, target, when, **values)
    session.flush()
    return ids
