"""Court lists from consent to notification: filed, calendared, decided, carried over,
sealed, notified; and the people nobody can reach."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casetracker.courtlists.aftercare import (
    confirm_sealing,
    no_contact_list,
    overdue_sealing,
    record_notification,
)
from casetracker.courtlists.operations import calendar_list
from casetracker.courtlists.service import (
    calendar_court_list,
    create_court_list,
    file_court_list,
    list_candidates,
    list_court_lists,
    motions_for_step,
    record_list_outcome,
    set_court_list_max,
)
from casetracker.decisions.service import decide
from casetracker.domain.enums import (
    County,
    Decision,
    NotificationMethod,
    NotificationOutcome,
    Stage,
)
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import CourtList, Motion
from casetracker.screening.service import screen_motions
from casetracker.services import motion_ops, moves
from casetracker.services.office_settings import set_sealing_days
from casetracker.storage.db import Database
from tests.support.motions import make_motion

COURT_DAY = date(2026, 3, 5)


def consented(db: Database, n: int, *, contact: bool = True) -> list[int]:
    with db.unit_of_work() as session:
        ids = [make_motion(session, contact=contact) for _ in range(n)]
        screen_motions(session, ids, user="screener")
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ada")
    return ids


def stages(db: Database, ids: list[int]) -> list[Stage]:
    with db.unit_of_work() as session:
        return [session.get(Motion, i).stage for i in ids]  # type: ignore[union-attr]


def test_list_moves_its_motions_through_filed_calendared_and_granted(db: Database) -> None:
    ids = consented(db, 5)
    with db.unit_of_work() as session:
        set_court_list_max(session, 3, user="admin")
        made = create_court_list(session, COURT_DAY, "AP1", judge="Hon. Test", user="clerk")
    assert made.motion_ids == ids[:3] and made.remaining == 2
    with db.unit_of_work() as session:
        file_court_list(session, made.list_id, date(2026, 2, 20), user="clerk")
        calendar_court_list(session, made.list_id, user="clerk")
    assert stages(db, ids) == [Stage.CALENDARED] * 3 + [Stage.CONSENTED] * 2
    with db.unit_of_work() as session:
        set_sealing_days(session, 60, user="admin")
        record_list_outcome(session, made.list_id, "granted", user="clerk")
    with db.unit_of_work() as session:
        for motion_id in ids[:3]:
            motion = session.get(Motion, motion_id)
            assert motion is not None and motion.stage == Stage.GRANTED
            assert motion.filed_date == date(2026, 2, 20) and motion.court_list_id == made.list_id
            assert (motion.court_date, motion.court_part, motion.judge) == (
                COURT_DAY,
                "AP1",
                "Hon. Test",
            )
            assert motion.order_date == COURT_DAY
            assert motion.sealing_deadline == COURT_DAY + timedelta(days=60)
        [row] = [r for r in list_court_lists(session) if r.id == made.list_id]
        assert row.by_stage == {Stage.GRANTED: 3} and row.filed_date == date(2026, 2, 20)


def test_outcome_per_motion_and_adjourned_motions_carry_over(db: Database) -> None:
    ids = consented(db, 4)
    with db.unit_of_work() as session:
        made = create_court_list(session, COURT_DAY, "SAP", user="clerk")
        file_court_list(session, made.list_id, date(2026, 2, 20), user="clerk")
        calendar_court_list(session, made.list_id, user="clerk")
        record_list_outcome(
            session,
            made.list_id,
            "denied",
            motion_ids=[ids[0]],
            reasons="Not in the interest of justice",
            user="clerk",
        )
        record_list_outcome(
            session,
            made.list_id,
            "granted",
            motion_ids=[ids[1]],
            order_date=date(2026, 3, 6),
            user="clerk",
        )
        moved = record_list_outcome(
            session, made.list_id, "adjourned", new_date=date(2026, 4, 2), user="clerk"
        )
    assert moved.motion_ids == ids[2:] and moved.new_list_id not in (None, made.list_id)
    assert stages(db, ids) == [Stage.DENIED, Stage.GRANTED, Stage.CALENDARED, Stage.CALENDARED]
    with db.unit_of_work() as session:
        carry = session.get(CourtList, moved.new_list_id)
        assert carry is not None and carry.court_date == date(2026, 4, 2) and carry.part == "SAP"
        for motion_id in ids[2:]:
            motion = session.get(Motion, motion_id)
            assert motion is not None
            assert (motion.court_date, motion.court_list_id) == (date(2026, 4, 2), carry.id)
        granted = session.get(Motion, ids[1])
        assert granted is not None and granted.order_date == date(2026, 3, 6)
        record_list_outcome(session, carry.id, "granted", user="clerk")
    assert stages(db, ids)[2:] == [Stage.GRANTED, Stage.GRANTED]


def test_list_refusals_say_what_to_do(db: Database) -> None:
    ids = consented(db, 2)
    with pytest.raises(InvalidValueError, match="maximum of 1"), db.unit_of_work() as session:
        create_court_list(session, COURT_DAY, "AP1", user="clerk", motion_ids=ids, max_motions=1)
    with db.unit_of_work() as session:
        made = create_court_list(session, COURT_DAY, "AP1", user="clerk")
        with pytest.raises(InvalidValueError, match="no filed motions"):
            calendar_court_list(session, made.list_id, user="clerk")
        with pytest.raises(InvalidValueError, match="No consented motions"):
            create_court_list(session, COURT_DAY, "AP2", user="clerk")


def test_sealing_overdue_confirmation_and_notification(db: Database) -> None:
    ids = consented(db, 3)
    ids_no_contact = consented(db, 1, contact=False)
    with db.unit_of_work() as session:
        made = create_court_list(session, date(2025, 1, 9), "AP1", user="clerk")
        file_court_list(session, made.list_id, date(2025, 1, 2), user="clerk")
        calendar_court_list(session, made.list_id, user="clerk")
        record_list_outcome(session, made.list_id, "granted", user="clerk")
    with db.unit_of_work() as session:
        overdue = overdue_sealing(session)
        assert [r.id for r in overdue] == ids + ids_no_contact
        assert overdue[0].sealing_deadline == date(2025, 1, 9) + timedelta(days=90)
        [person] = no_contact_list(session)
        assert person.motion_id == ids_no_contact[0] and person.stage == Stage.GRANTED
        confirm_sealing(session, ids[:2], date(2025, 3, 1), user="clerk")
        assert [r.id for r in overdue_sealing(session)] == ids[2:] + ids_no_contact
        with pytest.raises(InvalidValueError, match="needs its method"):
            record_notification(
                session,
                ids[:1],
                notified=date(2025, 3, 10),
                outcome=NotificationOutcome.DELIVERED,
                user="bds",
            )
        record_notification(
            session,
            ids[:1],
            notified=date(2025, 3, 10),
            outcome=NotificationOutcome.DELIVERED,
            method=NotificationMethod.MAIL,
            org="BDS",
            user="bds",
        )
    with db.unit_of_work() as session:
        motion = session.get(Motion, ids[0])
        assert motion is not None and motion.stage == Stage.NOTIFIED
        assert (motion.notification_method, motion.notifying_org) == (
            NotificationMethod.MAIL,
            "BDS",
        )
        assert session.get(Motion, ids[1]).sealing_confirmed_date == date(2025, 3, 1)  # type: ignore[union-attr]
        assert session.scalar(select(CourtList.filed_date)) == date(2025, 1, 2)


def test_a_list_belongs_to_one_court_and_asks_which_when_counties_are_mixed(
    db: Database,
) -> None:
    with db.unit_of_work() as session:
        kings = [make_motion(session, county=County.KINGS) for _ in range(2)]
        bronx = [make_motion(session, county=County.BRONX) for _ in range(2)]
        screen_motions(session, kings + bronx, user="screener")
        decide(session, kings + bronx, Decision.CONSENT, reason_code="POLICY", user="ada")
    mixed = r"several counties \((Kings.*Bronx|Bronx.*Kings)"
    for chosen in (None, kings + bronx):
        with pytest.raises(InvalidValueError, match=mixed), db.unit_of_work() as session:
            create_court_list(session, COURT_DAY, "AP1", user="clerk", motion_ids=chosen)
    # The motion is named by person and docket.
    wrong = r"^Testperson\d+, Alex · 2016SN\d+ is not a consented Kings"
    with pytest.raises(InvalidValueError, match=wrong), db.unit_of_work() as session:
        create_court_list(
            session, COURT_DAY, "AP1", user="clerk", county=County.KINGS, motion_ids=bronx
        )
    with db.unit_of_work() as session:
        made = create_court_list(session, COURT_DAY, "AP1", user="clerk", county=County.BRONX)
        assert made.motion_ids == bronx and made.remaining == 0
        only_kings = create_court_list(session, COURT_DAY, "AP1", user="clerk")
        assert only_kings.motion_ids == kings
        lists = {cl.id: cl.county for cl in session.scalars(select(CourtList))}
        assert lists == {made.list_id: County.BRONX, only_kings.list_id: County.KINGS}


def test_consent_to_every_eligible_motion_acts_within_one_county(db: Database) -> None:
    with db.unit_of_work() as session:
        ids = [make_motion(session, county=c) for c in (County.KINGS, County.QUEENS)]
        screen_motions(session, ids, user="screener")
    with pytest.raises(InvalidValueError, match="several counties"), db.unit_of_work() as session:
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ada", only_eligible=True)
    assert stages(db, ids) == [Stage.SCREENED, Stage.SCREENED]
    with db.unit_of_work() as session:
        decide(
            session,
            ids[:1],
            Decision.CONSENT,
            reason_code="POLICY",
            user="ada",
            only_eligible=True,
        )
    assert stages(db, ids) == [Stage.CONSENTED, Stage.SCREENED]


def test_a_new_list_proposes_the_oldest_and_takes_the_ones_the_user_picks(db: Database) -> None:
    ids = consented(db, 3)
    with db.unit_of_work() as session:
        candidates = list_candidates(session, max_motions=2)
        assert candidates.county == County.KINGS
        assert [w.motion_id for w in candidates.motions] == ids
        assert candidates.proposed == ids[:2]
        assert " · " in candidates.motions[0].who
        made = create_court_list(
            session, COURT_DAY, "AP1", user="clerk", max_motions=2, motion_ids=ids[1:]
        )
    assert made.motion_ids == ids[1:]
    with db.unit_of_work() as session:
        taken = moves.who(session.get_one(Motion, ids[1]))
        with pytest.raises(InvalidValueError, match="maximum of 1"):
            create_court_list(
                session, COURT_DAY, "AP1", user="clerk", max_motions=1, motion_ids=ids
            )
    # One already on a list is named by person and docket.
    with db.unit_of_work() as session, pytest.raises(InvalidValueError) as refused:
        create_court_list(session, COURT_DAY, "AP1", user="clerk", motion_ids=ids[:2])
    assert str(refused.value).startswith(f"{taken} is not a consented")


def test_calendar_takes_the_date_and_part_the_court_gave(db: Database) -> None:
    ids = consented(db, 2)
    with db.unit_of_work() as session:
        made = create_court_list(session, COURT_DAY, "AP1", user="clerk")
        file_court_list(session, made.list_id, date(2026, 2, 20), user="clerk")
        assert motions_for_step(session, made.list_id, Stage.FILED) == [
            moves.who(session.get_one(Motion, i)) for i in ids
        ]
        calendar_court_list(
            session, made.list_id, user="clerk", court_date=date(2026, 3, 12), part=" AP2 "
        )
    with db.unit_of_work() as session:
        court_list = session.get_one(CourtList, made.list_id)
        assert (court_list.court_date, court_list.part) == (date(2026, 3, 12), "AP2")
        motions = [session.get_one(Motion, i) for i in ids]
        assert {(m.court_date, m.court_part) for m in motions} == {(date(2026, 3, 12), "AP2")}
        with pytest.raises(InvalidValueError, match="no filed motions"):
            motions_for_step(session, made.list_id, Stage.FILED)


def _filed_list(db: Database, ids: list[int]) -> int:
    with db.unit_of_work() as session:
        made = create_court_list(session, COURT_DAY, "AP1", user="clerk", motion_ids=ids)
        file_court_list(session, made.list_id, date(2026, 2, 20), user="clerk")
    return made.list_id


def _list_date_and_part(db: Database, list_id: int) -> tuple[date, str]:
    with db.reading() as session:
        court_list = session.get_one(CourtList, list_id)
        return court_list.court_date, court_list.part


def test_undoing_a_calendar_puts_the_lists_date_and_part_back(db: Database) -> None:
    ids = consented(db, 2)
    list_id = _filed_list(db, ids)
    changes = calendar_list(db, "clerk", list_id, court_date=date(2026, 3, 12), part="AP2")
    assert _list_date_and_part(db, list_id) == (date(2026, 3, 12), "AP2")
    assert changes.undo is not None
    undone = motion_ops.undo(db, "clerk", changes.undo)
    assert _list_date_and_part(db, list_id) == (COURT_DAY, "AP1")
    assert stages(db, ids) == [Stage.FILED, Stage.FILED]
    with db.reading() as session:
        assert {session.get_one(Motion, i).court_date for i in ids} == {None}
    # The undo of the undo calendars the list for the court's date and part again.
    assert undone.undo is not None
    motion_ops.undo(db, "clerk", undone.undo)
    assert _list_date_and_part(db, list_id) == (date(2026, 3, 12), "AP2")
    assert stages(db, ids) == [Stage.CALENDARED, Stage.CALENDARED]


def test_undoing_a_calendar_keeps_a_list_date_changed_since(db: Database) -> None:
    ids = consented(db, 2)
    list_id = _filed_list(db, ids)
    changes = calendar_list(db, "clerk", list_id, court_date=date(2026, 3, 12))
    with db.unit_of_work() as session:  # someone moves the list to another day since
        session.get_one(CourtList, list_id).court_date = date(2026, 3, 19)
    assert changes.undo is not None
    with pytest.raises(TransitionError, match="court list's court date has changed since"):
        motion_ops.undo(db, "clerk", changes.undo)
    # Refused as a whole: nothing was put back.
    assert _list_date_and_part(db, list_id) == (date(2026, 3, 19), "AP1")
    assert stages(db, ids) == [Stage.CALENDARED, Stage.CALENDARED]


def test_undoing_a_calendar_on_the_lists_own_date_changes_only_the_motions(db: Database) -> None:
    ids = consented(db, 1)
    list_id = _filed_list(db, ids)
    changes = calendar_list(db, "clerk", list_id)
    assert changes.undo is not None
    motion_ops.undo(db, "clerk", changes.undo)
    assert _list_date_and_part(db, list_id) == (COURT_DAY, "AP1")
    assert stages(db, ids) == [Stage.FILED]
