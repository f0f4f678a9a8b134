"""A realistic fake office: people, cases, charges and motions spread over every stage with
plausible dates over the last two years, events, court lists and a full history.

Each fake motion is moved through the real workflow rules (so its history is exactly what the
app itself would have written), then everything is written with bulk Core inserts, which keeps
100,000 motions to well under a minute.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from casetracker.devtools import demo_people as names
from casetracker.domain.enums import (
    ChargeRole,
    County,
    DispositionKind,
    FlagKind,
    IntakeChannel,
    MotionKind,
    NotificationMethod,
    NotificationOutcome,
    ScreeningResult,
    Stage,
    WarrantStatus,
)
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import (
    Case,
    Charge,
    CommunityEvent,
    CourtList,
    ImportBatch,
    Motion,
    MotionEvent,
    Person,
    PersonFlag,
    RuleSetVersion,
)
from casetracker.domain.new_motion import first_event, motion_columns
from casetracker.domain.workflow import HAPPENED_DATES, WorkflowSettings, apply_transition
from casetracker.normalize import charge_class, describe, name_key, normalize_charge
from casetracker.screening.engine import screen
from casetracker.screening.facts import CaseFacts, FlagFact, MotionFacts, ScreeningOutcome
from casetracker.screening.rules import shipped_rules
from casetracker.screening.service import case_facts
from casetracker.storage.chain import mark_backfill

# How far along the pipeline motions are, roughly as in an office two years in.
_FINAL_WEIGHTS: dict[Stage, int] = {
    Stage.INTAKE: 7,
    Stage.VERIFIED: 4,
    Stage.SCREENED: 10,
    Stage.INFO_NEEDED: 3,
    Stage.CONSENTED: 8,
    Stage.OPPOSED: 3,
    Stage.FILED: 6,
    Stage.CALENDARED: 10,
    Stage.GRANTED: 8,
    Stage.DENIED: 2,
    Stage.SEALED: 8,
    Stage.NOTIFIED: 10,
    Stage.CLOSED: 12,
    Stage.WITHDRAWN: 4,
}
_WARRANT_CHARGES = (
    ("PL 221.05", 55),
    ("221.05", 8),
    ("PL2210500", 6),
    ("PL 221.10(1)", 10),
    ("221.10 sub 1", 3),
    ("AC 16-118", 5),
    ("AC 10-125", 6),
    ("PL 240.20", 2),
)
_CONVICTION_CHARGES = (
    ("PL 221.05", 35),
    ("PL221.05", 5),
    ("PL 221.10", 25),
    ("221.10(1)", 6),
    ("PL 221.15", 14),
    ("PL 221.20", 3),
    ("PL 221.10 UNLAWFUL POSSESSION MARIJUANA", 2),
)
# How conviction cases ended, as records write it: (written, kind, conviction charge, weight).
# None for the conviction charge: the case ended in the charge it was brought on; "" for a
# record that does not say which charge the plea was to.
_CONVICTION_ENDINGS: tuple[tuple[str, DispositionKind, str | None, int], ...] = (
    ("Pled guilty", DispositionKind.CONVICTED, None, 64),
    ("Convicted after trial", DispositionKind.CONVICTED, None, 8),
    ("PG 240.20", DispositionKind.CONVICTED, "PL 240.20", 6),
    ("Pled guilty", DispositionKind.CONVICTED, "", 3),
    ("DISM", DispositionKind.DISMISSED, None, 6),
    ("ACD 6 MOS", DispositionKind.ACD, None, 7),
    ("Y.O. ADJ", DispositionKind.YOUTHFUL_OFFENDER, None, 4),
    ("NOT GUILTY", DispositionKind.ACQUITTED, None, 2),
)
# Other cases on some people's records, which screening must find: (share of people, typed
# charge, class, disposition written, kind).
_RECORD_CASES: tuple[tuple[float, str, str, str | None, DispositionKind], ...] = (
    (0.012, "PL 130.35", "B felony", "Convicted after trial", DispositionKind.CONVICTED),
    (0.008, "PL 130.52", "A misdemeanor", "Pled guilty", DispositionKind.CONVICTED),
    (0.015, "PL 160.10", "C felony", "Pled guilty", DispositionKind.CONVICTED),
    (0.010, "PL 120.05", "D felony", "Pled guilty", DispositionKind.CONVICTED),
    (0.012, "PL 160.15", "B felony", None, DispositionKind.PENDING),
    (0.020, "PL 155.25", "A misdemeanor", "Pled guilty", DispositionKind.CONVICTED),
)
# Marijuana lists were heard in a few parts, on one calendar day a week.
_PARTS = ("AP1", "SAP")
_DOCKET_LETTERS = ("SN", "KN", "NY", "BX", "QN", "RI", "SK")
_DOCKET_SUFFIX = {
    County.KINGS: "KN",
    County.NEW_YORK: "NY",
    County.BRONX: "BX",
    County.QUEENS: "QN",
    County.RICHMOND: "RI",
}
_COUNTY_WEIGHTS = (
    (County.KINGS, 45),
    (County.NEW_YORK, 30),
    (County.BRONX, 12),
    (County.QUEENS, 9),
    (County.RICHMOND, 4),
)


@dataclass
class DemoSummary:
    people: int = 0
    motions: int = 0
    events: int = 0
    history_rows: int = 0
    court_lists: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)


@dataclass
class _Ids:
    person: int
    case: int
    charge: int
    motion: int
    event: int


def generate_demo(
    session: Session,
    *,
    people: int | None = None,
    motions: int | None = None,
    seed: int = 2018,
    today: date | None = None,
) -> Iterator[tuple[int, int]]:
    """Write the demo office inside `session`'s transaction, yielding (done, total) as it goes.
    Give `people` (each with one to three motions) or an exact number of `motions`."""
    if (people is None) == (motions is None):
        raise InvalidValueError("Give the demo either a number of people or of motions.")
    total = people if people is not None else motions
    assert total is not None
    if not 1 <= total <= 2_000_000:
        raise InvalidValueError(f"{total} is out of range for demo data (1 to 2,000,000).")
    builder = _Builder(session, random.Random(seed), today or date.today())
    yield from builder.run(people=people, motions=motions)
    # Its history is dated over two years on purpose; in a new database's audit chain that
    # is a backfill, not rows inserted out of order.
    mark_backfill(session)


def demo_summary(session: Session) -> DemoSummary:
    summary = DemoSummary()
    summary.people = session.scalar(select(func.count(Person.id))) or 0
    summary.motions = session.scalar(select(func.count(Motion.id))) or 0
    summary.events = session.scalar(select(func.count(CommunityEvent.id))) or 0
    summary.history_rows = session.scalar(select(func.count(MotionEvent.id))) or 0
    summary.court_lists = session.scalar(select(func.count(CourtList.id))) or 0
    rows = session.execute(select(Motion.stage, func.count()).group_by(Motion.stage)).all()
    summary.by_stage = {stage.value: n for stage, n in rows}
    return summary


class _Builder:
    CHUNK = 2000

    def __init__(self, session: Session, rng: random.Random, today: date) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.settings = WorkflowSettings()
        self.ids = _Ids(*(self._max_id(m) for m in (Person, Case, Charge, Motion, MotionEvent)))
        self.events: list[tuple[int, date]] = []
        self.batches: list[tuple[int, date]] = []
        self.court_lists: dict[tuple[date, str, County | None], int] = {}
        self.charge_cache: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.used_nysids: set[str] = set()
        self.rules = shipped_rules()
        self.person_flags: tuple[FlagFact, ...] = ()
        # The current person's cases so far, as screening sees them.
        self.person_cases: list[tuple[int, CaseFacts]] = []
        self.born = date(1980, 1, 1)

    def _max_id(self, model: type[Any]) -> int:
        return int(self.session.scalar(select(func.max(model.id))) or 0)

    def run(self, *, people: int | None, motions: int | None) -> Iterator[tuple[int, int]]:
        target = people if people is not None else motions
        assert target is not None
        self._make_events(max(3, target // 250))
        self._make_batches()
        self._future_rule_set()
        done_people = done_motions = 0
        while True:
            count = self.rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
            if motions is not None:
                count = min(count, motions - done_motions)
            self._person_with_motions(count)
            done_people += 1
            done_motions += count
            progress = done_people if people is not None else done_motions
            if progress % self.CHUNK == 0:
                self._flush()
                yield progress, target
            if progress >= target:
                break
        self._flush()
        self._fix_sequences()
        yield target, target

    # -- reference data ---------------------------------------------------------------------

    def _make_events(self, count: int) -> None:
        for i in range(count):
            day = self.today - timedelta(days=int(730 * (i + 0.5) / count))
            while day.weekday() != 5:  # Begin Again events run on Saturdays
                day -= timedelta(days=1)
            place = names.EVENT_PLACES[i % len(names.EVENT_PLACES)]
            county = self._county()
            row = CommunityEvent(
                name=f"Begin Again, {place}",
                event_date=day,
                location=place,
                county=county,
                created_at=_at(day - timedelta(days=14), 10),
            )
            self.session.add(row)
            self.session.flush()
            self.events.append((row.id, day))

    def _make_batches(self) -> None:
        for months_ago in range(24, 0, -1):
            day = self.today - timedelta(days=30 * months_ago)
            batch = ImportBatch(
                file_name=f"open_warrants_{day:%Y_%m}.xlsx",
                content_hash=f"{self.rng.getrandbits(256):064x}",
                sheet="Warrants",
                mapping={"demo": True},
                counts={},
                imported_by="manager.demo",
                imported_at=_at(day, 11),
            )
            self.session.add(batch)
            self.session.flush()
            self.batches.append((batch.id, day))

    def _future_rule_set(self) -> None:
        """Kings' policy for next year, saved but not yet in force: motions screen by the
        shipped rules until it starts, and the rules history shows it waiting."""
        start = date(self.today.year + 1, 1, 1)
        version = f"kings-{start.year}"
        if self.session.scalar(select(RuleSetVersion.id).where(RuleSetVersion.version == version)):
            return
        document = json.loads(self.rules.to_json())
        document.update(
            version=version,
            title=f"Kings County policy from {start}",
            effective_from=start.isoformat(),
            counties=[County.KINGS.value],
        )
        for exclusion in document["exclusions"]:
            if exclusion["id"] == "exclude-violent-felony":
                exclusion["when"]["within_years"] = 10
                exclusion["because"] = "the person has a violent-felony conviction within 10 years"
        self.session.add(
            RuleSetVersion(
                version=version,
                document=document,
                saved_by="admin.demo",
                saved_at=_at(self.today - timedelta(days=3), 15),
                note="Violent felonies exclude only within 10 years (demo)",
            )
        )
        self.session.flush()

    # -- one person -------------------------------------------------------------------------

    def _person_with_motions(self, count: int) -> None:
        rng = self.rng
        self.ids.person += 1
        person_id = self.ids.person
        last = rng.choice(names.LAST_NAMES)
        first = rng.choice(names.FIRST_NAMES)
        middle = rng.choice(names.MIDDLE_INITIALS)
        born = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
        has_contact = rng.random() < 0.7
        self._add(
            "person",
            id=person_id,
            last_name=last,
            first_name=first,
            middle_name=middle,
            name_key=name_key(last, first, middle),
            aliases=[],
            date_of_birth=born,
            nysid=self._nysid() if rng.random() < 0.85 else None,
            nysid_as_typed=None,
            address=f"{rng.randint(1, 999)} {rng.choice(names.STREETS)}, Apt {rng.randint(1, 20)}"
            if has_contact
            else None,
            phone=f"(555) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
            if has_contact
            else None,
            email=None,
            language=rng.choice(names.LANGUAGES),
            consent_to_contact=has_contact and rng.random() < 0.8,
            created_at=_at(self.today - timedelta(days=730), 9),
            version=1,
        )
        self.born = born
        self.person_cases = []
        self.person_flags = ()
        # Facts not on file here (a conviction in another state) are recorded by hand.
        if rng.random() < 0.005:
            flag = FlagFact(
                rng.choice(list(FlagKind)), "NJ rap sheet (demo)", "out-of-state record"
            )
            self.person_flags = (flag,)
            self._add(
                "person_flag",
                person_id=person_id,
                kind=flag.kind,
                source=flag.source,
                note=flag.note,
                recorded_by="screening.demo",
                recorded_at=_at(self.today - timedelta(days=365), 12),
            )
        for share, typed, cls, written, kind in _RECORD_CASES:
            if rng.random() < share:
                self._record_case(person_id, typed, cls, written, kind)
        for _ in range(count):
            self._motion(person_id)

    def _motion(self, person_id: int) -> None:
        rng = self.rng
        kind = MotionKind.WARRANT_DISMISSAL if rng.random() < 0.6 else MotionKind.CONVICTION_VACATUR
        county = self._county()
        final = rng.choices(list(_FINAL_WEIGHTS), weights=list(_FINAL_WEIGHTS.values()))[0]
        steps = _path(kind, final, rng)
        start = self._start_day(final, steps)
        channel, event_id, batch_id = self._channel(kind, start)
        if event_id is not None:
            start = next(day for eid, day in self.events if eid == event_id)
        if batch_id is not None:
            start = next(day for bid, day in self.batches if bid == batch_id)

        case = self._case(person_id, kind, county, batch_id)
        self.ids.motion += 1
        conviction = kind == MotionKind.CONVICTION_VACATUR
        opened = _at(start, rng.randint(9, 16))
        motion = Motion(
            id=self.ids.motion,
            person_id=person_id,
            case_id=case.id,
            import_row=rng.randint(2, 3500) if batch_id else None,
            **motion_columns(
                kind,
                at=opened,
                intake_date=start,
                channel=channel,
                event_id=event_id,
                import_batch_id=batch_id,
                defense_org=rng.choice(names.DEFENSE_ORGS) if conviction else None,
                defense_attorney=rng.choice(names.ATTORNEYS) if conviction else None,
                # Most people who ask for a vacatur want it although the law expunged it.
                proceed_if_expunged=conviction and rng.random() < 0.9,
            ),
        )
        motion.created_at = _at(start, 9)
        motion.case = case
        history = [
            {
                "motion_id": motion.id,
                **first_event(
                    at=opened,
                    user="manager.demo" if batch_id else rng.choice(names.INTAKE_STAFF),
                    action="import" if batch_id else "intake",
                    reason="Imported from open-warrant list" if batch_id else "Intake",
                ),
            }
        ]
        self._walk(motion, steps, start, history)
        # The case row was queued before the walk; a grant may have vacated its warrant since.
        self.rows["court_case"][-1]["warrant_status"] = case.warrant_status
        row = {c.key: getattr(motion, c.key) for c in Motion.__table__.columns}
        self.rows.setdefault("motion", []).append(row)
        self.rows.setdefault("motion_event", []).extend(history)

    def _start_day(self, final: Stage, steps: list[str]) -> date:
        """Open motions have sat in their stage for weeks, finished ones for any time, so the
        last weeks show the steady movement of a working office."""
        path_days = sum(_TYPICAL_DAYS[step] for step in steps)
        if final in _FINISHED:
            dwell = self.rng.uniform(0, max(0, 700 - path_days))
        else:
            dwell = min(self.rng.expovariate(1 / 45), 600)
        back = min(730, int(path_days + dwell))
        return self.today - timedelta(days=back)

    def _walk(
        self, motion: Motion, steps: list[str], day: date, history: list[dict[str, Any]]
    ) -> None:
        rng = self.rng
        prosecutor = rng.choice(names.PROSECUTORS)
        steps = list(steps)
        while steps:
            step = steps.pop(0)
            if step in ("consent", "request_info") and (
                motion.screening_result == ScreeningResult.INELIGIBLE
            ):
                # A prosecutor opposes what the rules exclude; the court step never comes.
                step, steps = "oppose", ["close"] if "close" in steps else []
            if (
                step not in ("screen", "withdraw")
                and motion.screening_result == ScreeningResult.NOTHING_TO_VACATE
            ):
                # Nothing to vacate: the defender withdraws the motion.
                step, steps = "withdraw", []
            target, values, gap = self._step(motion, step, day, prosecutor)
            day = day + timedelta(days=gap)
            # A step whose date (filing, order, sealing, notice) has not come yet waits.
            if day > self.today or any(
                isinstance(values.get(name), date) and values[name] > self.today
                for name in HAPPENED_DATES
            ):
                break
            values = {k: v for k, v in values.items() if v is not None}
            user = (
                prosecutor
                if step in ("consent", "oppose", "request_info")
                else rng.choice(names.INTAKE_STAFF)
            )
            event = apply_transition(
                motion,
                target,
                reason=_REASONS[step],
                user=user,
                at=_at(day, rng.randint(9, 17)),
                values=values,
                settings=self.settings,
                action=step,
            )
            history.append(
                {
                    "motion_id": motion.id,
                    "at": event.at,
                    "user": event.user,
                    "action": event.action,
                    "from_stage": event.from_stage,
                    "to_stage": event.to_stage,
                    "reason": event.reason,
                    "changes": event.changes,
                    "group_id": None,
                    "undoes_group": None,
                }
            )
            if step in ("file", "calendar", "adjourn", "grant", "deny") and motion.court_date:
                day = max(day, min(motion.court_date, self.today))

    def _step(
        self, motion: Motion, step: str, day: date, prosecutor: str
    ) -> tuple[Stage, dict[str, Any], int]:
        rng = self.rng
        if step == "verify":
            return Stage.VERIFIED, {}, rng.randint(3, 20)
        if step == "screen":
            screened, reasons = self._screen(motion)
            return (
                Stage.SCREENED,
                {
                    "screening_result": screened.result,
                    "screening_ruleset": screened.ruleset,
                    "screening_reasons": reasons,
                    "screening_as_of": screened.as_of,
                },
                rng.randint(1, 10),
            )
        if step in ("consent", "oppose", "request_info"):
            target = {
                "consent": Stage.CONSENTED,
                "oppose": Stage.OPPOSED,
                "request_info": Stage.INFO_NEEDED,
            }[step]
            code = {"consent": "POLICY", "oppose": "EXCLUDED", "request_info": "RECORD"}[step]
            if step == "consent" and motion.screening_result != ScreeningResult.ELIGIBLE:
                code = "REVIEWED"
            if step == "oppose" and motion.screening_result != ScreeningResult.INELIGIBLE:
                code = "NOT-COVERED"
            return (
                target,
                {"decision_reason_code": code, "assigned_prosecutor": prosecutor},
                rng.randint(5, 40),
            )
        if step == "file":
            return (
                Stage.FILED,
                {"filed_date": day + timedelta(days=7), "filed_part": "AP1"},
                rng.randint(3, 20),
            )
        if step in ("calendar", "adjourn"):
            court_day = _weekday(day + timedelta(days=rng.randint(14, 60)))
            part = motion.court_part or rng.choice(_PARTS)
            values = {
                "court_date": court_day,
                "court_part": part,
                "judge": rng.choice(names.JUDGES),
                "court_list_id": self._court_list(court_day, part, motion.case.county),
            }
            if step == "adjourn":
                values.pop("court_part")
            return (Stage.CALENDARED, values, rng.randint(1, 7))
        if step in ("grant", "deny"):
            assert motion.court_date is not None
            target = Stage.GRANTED if step == "grant" else Stage.DENIED
            gap = max(0, (motion.court_date - day).days)
            return target, {"order_date": motion.court_date}, gap
        if step == "seal":
            assert motion.order_date is not None
            confirm = motion.order_date + timedelta(days=rng.randint(20, 110))
            return Stage.SEALED, {"sealing_confirmed_date": confirm}, max(0, (confirm - day).days)
        if step == "notify":
            outcome = rng.choices(
                (
                    NotificationOutcome.DELIVERED,
                    NotificationOutcome.UNDELIVERABLE,
                    NotificationOutcome.NO_CONTACT,
                ),
                weights=(70, 15, 15),
            )[0]
            method = (
                None
                if outcome == NotificationOutcome.NO_CONTACT
                else rng.choice(list(NotificationMethod))
            )
            gap = rng.randint(5, 30)
            return (
                Stage.NOTIFIED,
                {
                    "notification_date": day + timedelta(days=gap),
                    "notification_outcome": outcome,
                    "notification_method": method,
                    "notifying_org": rng.choice(names.DEFENSE_ORGS),
                },
                gap,
            )
        if step == "close":
            return Stage.CLOSED, {}, rng.randint(1, 10)
        return Stage.WITHDRAWN, {}, rng.randint(2, 30)

    # -- helpers ----------------------------------------------------------------------------

    def _case(self, person_id: int, kind: MotionKind, county: County, batch_id: int | None) -> Case:
        rng = self.rng
        self.ids.case += 1
        case_id = self.ids.case
        year = rng.randint(1990, 2018)
        arrest = date(year, rng.randint(1, 12), rng.randint(1, 28))
        warrant = kind == MotionKind.WARRANT_DISMISSAL
        written, ended, convicted_of, _weight = rng.choices(
            _CONVICTION_ENDINGS, weights=[e[3] for e in _CONVICTION_ENDINGS]
        )[0]
        if rng.random() < 0.6:
            docket = f"{year}{rng.choice(_DOCKET_LETTERS)}{rng.randint(1, 999999):06d}"
            typed = docket if rng.random() < 0.8 else docket.lower()
        else:
            docket = f"CR-{rng.randint(1, 999999):06d}-{year % 100:02d}{_DOCKET_SUFFIX[county]}"
            typed = docket if rng.random() < 0.8 else docket.replace("-", " ")
        case = Case(
            id=case_id,
            person_id=person_id,
            docket_as_typed=typed,
            docket=docket,
            summons_number=f"4{rng.randint(100000000, 999999999)}" if warrant else None,
            county=county,
            court_part=None,
            arrest_date=arrest,
            disposition=None if warrant else written,
            disposition_kind=DispositionKind.PENDING if warrant else ended,
            disposition_date=None if warrant else arrest + timedelta(days=rng.randint(0, 120)),
            sentence=None
            if warrant or ended != DispositionKind.CONVICTED
            else rng.choice(("Fine $100", "Conditional discharge", "Time served")),
            warrant_issued_date=arrest + timedelta(days=rng.randint(30, 90)) if warrant else None,
            warrant_status=WarrantStatus.OPEN if warrant else WarrantStatus.NONE,
            record_source="Court warrant list" if batch_id else "OCA record (demo)",
            smoking_while_driving=not warrant and rng.random() < 0.01,
            import_batch_id=batch_id,
            import_row=None,
            version=1,
            created_at=_at(arrest, 9),
        )
        table = _WARRANT_CHARGES if warrant else _CONVICTION_CHARGES
        typed_charge = rng.choices([c for c, _ in table], weights=[w for _, w in table])[0]
        if convicted_of and not warrant:
            typed_charge = "PL 221.10"  # the plea to a lesser charge was on a 221.10 arrest
        self._add_charge(case, typed_charge, ChargeRole.ARREST)
        if not warrant and ended == DispositionKind.CONVICTED and convicted_of != "":
            self._add_charge(case, convicted_of or typed_charge, ChargeRole.CONVICTION)
        self._keep_case(case)
        return case

    def _record_case(
        self, person_id: int, typed: str, cls: str, written: str | None, kind: DispositionKind
    ) -> None:
        """Another case on the person's record, without a motion: what screening excludes on."""
        rng = self.rng
        self.ids.case += 1
        arrest = date(rng.randint(2000, 2017), rng.randint(1, 12), rng.randint(1, 28))
        convicted = kind == DispositionKind.CONVICTED
        county = self._county()
        case = Case(
            id=self.ids.case,
            person_id=person_id,
            docket_as_typed=None,
            docket=f"{arrest.year}{_DOCKET_SUFFIX[county]}{rng.randint(1, 999999):06d}",
            summons_number=None,
            county=county,
            court_part=None,
            arrest_date=arrest,
            disposition=written,
            disposition_kind=kind,
            disposition_date=arrest + timedelta(days=rng.randint(60, 400)) if convicted else None,
            sentence=None,
            warrant_issued_date=None,
            warrant_status=WarrantStatus.NONE,
            record_source="OCA record (demo)",
            smoking_while_driving=False,
            import_batch_id=None,
            import_row=None,
            version=1,
            created_at=_at(arrest, 9),
        )
        self._add_charge(case, typed, ChargeRole.ARREST, cls)
        if convicted:
            self._add_charge(case, typed, ChargeRole.CONVICTION, cls)
        self._keep_case(case)

    def _add_charge(
        self, case: Case, typed: str, role: ChargeRole, charge_cls: str | None = None
    ) -> None:
        section, cls, description = self._charge_parts(typed)
        self.ids.charge += 1
        charge = Charge(
            id=self.ids.charge,
            case_id=case.id,
            position=len(case.charges),
            role=role,
            section=section,
            as_typed=typed,
            charge_class=charge_cls or cls,
            description=description,
        )
        case.charges.append(charge)
        self.rows.setdefault("charge", []).append(
            {c.key: getattr(charge, c.key) for c in Charge.__table__.columns}
        )

    def _keep_case(self, case: Case) -> None:
        row = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
        self.rows.setdefault("court_case", []).append(row)
        self.person_cases.append((case.id, case_facts(case)))

    def _screen(self, motion: Motion) -> tuple[ScreeningOutcome, list[Any]]:
        """The real rules on the person's whole record as it stands, as of the day the
        motion came in."""
        facts = MotionFacts(
            kind=motion.kind,
            case=next(f for cid, f in self.person_cases if cid == motion.case_id),
            other_cases=tuple(f for cid, f in self.person_cases if cid != motion.case_id),
            flags=self.person_flags,
            date_of_birth=self.born,
            as_of=motion.intake_date,
            proceed_if_expunged=motion.proceed_if_expunged,
        )
        outcome = screen(facts, self.rules)
        return outcome, outcome.reasons_json()

    def _charge_parts(self, typed: str) -> tuple[str | None, str | None, str | None]:
        if typed not in self.charge_cache:
            code = normalize_charge(typed).value
            self.charge_cache[typed] = (
                code.display if code else None,
                charge_class(code) if code else None,
                describe(code) if code else None,
            )
        return self.charge_cache[typed]

    def _channel(
        self, kind: MotionKind, start: date
    ) -> tuple[IntakeChannel, int | None, int | None]:
        rng = self.rng
        if kind == MotionKind.WARRANT_DISMISSAL:
            batches = [(day, bid) for bid, day in self.batches if day <= start]
            if batches:
                return IntakeChannel.IMPORT, None, max(batches)[1]
            return IntakeChannel.REFERRAL, None, None
        roll = rng.random()
        if roll < 0.6:
            events = [(day, eid) for eid, day in self.events if day <= start]
            if events:
                return IntakeChannel.EVENT, max(events)[1], None
        return (IntakeChannel.WALK_IN if roll < 0.85 else IntakeChannel.REFERRAL), None, None

    def _court_list(self, day: date, part: str, county: County | None) -> int:
        """A list belongs to one court: one county's part on one day."""
        key = (day, part, county)
        if key not in self.court_lists:
            row = CourtList(
                court_date=day,
                part=part,
                judge=self.rng.choice(names.JUDGES),
                county=county,
                filed_date=day - timedelta(days=14),
                created_by="manager.demo",
                created_at=_at(day - timedelta(days=21), 10),
            )
            self.session.add(row)
            self.session.flush()
            self.court_lists[key] = row.id
        return self.court_lists[key]

    def _county(self) -> County:
        return self.rng.choices(
            [c for c, _ in _COUNTY_WEIGHTS], weights=[w for _, w in _COUNTY_WEIGHTS]
        )[0]

    def _nysid(self) -> str:
        while True:
            letter = self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
            value = f"{self.rng.randint(10000000, 99999999)}{letter}"
            if value not in self.used_nysids:
                self.used_nysids.add(value)
                return value

    def _add(self, table: str, **values: Any) -> None:
        self.rows.setdefault(table, []).append(values)

    def _flush(self) -> None:
        # Parents before children, so foreign keys hold at every statement.
        for model in (Person, PersonFlag, Case, Charge, Motion, MotionEvent):
            rows = self.rows.pop(model.__tablename__, [])
            if rows:
                self.session.execute(insert(cast(Table, model.__table__)), rows)

    def _fix_sequences(self) -> None:
        """Ids were given explicitly; PostgreSQL's sequences must be moved past them."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for model in (Person, Case, Charge, Motion, MotionEvent, PersonFlag):
            table = model.__tablename__
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"  # table names are constants
                ),
                {"t": table},
            )


def _path(kind: MotionKind, final: Stage, rng: random.Random) -> list[str]:
    head = ["verify"] if kind == MotionKind.CONVICTION_VACATUR or final == Stage.VERIFIED else []
    if final == Stage.INTAKE:
        return []
    if final == Stage.VERIFIED:
        return head
    if final == Stage.WITHDRAWN:
        before = rng.choice(
            [Stage.INTAKE, Stage.SCREENED, Stage.CONSENTED, Stage.FILED, Stage.CALENDARED]
        )
        return _path(kind, before, rng) + ["withdraw"]
    path = head + ["screen"]
    if final == Stage.SCREENED:
        return path
    if final == Stage.INFO_NEEDED:
        return path + ["request_info"]
    if final == Stage.OPPOSED:
        return path + ["oppose"]
    path += (["request_info"] if rng.random() < 0.08 else []) + ["consent"]
    for stage, step in (
        (Stage.CONSENTED, None),
        (Stage.FILED, "file"),
        (Stage.CALENDARED, "calendar"),
    ):
        if step:
            path.append(step)
        if final == stage:
            if stage == Stage.CALENDARED and rng.random() < 0.25:
                path.append("adjourn")
            return path
    if rng.random() < 0.2:
        path.append("adjourn")
    if final == Stage.DENIED:
        return path + ["deny"]
    path.append("grant")
    if final == Stage.GRANTED:
        return path
    path.append("seal")
    if final == Stage.SEALED:
        return path
    path.append("notify")
    if final == Stage.NOTIFIED:
        return path
    return path + ["close"]


# Rough length of each step in days, to place a motion's path in time.
_TYPICAL_DAYS = {
    "verify": 11,
    "screen": 5,
    "consent": 22,
    "oppose": 22,
    "request_info": 22,
    "file": 11,
    "calendar": 40,
    "adjourn": 40,
    "grant": 0,
    "deny": 0,
    "seal": 65,
    "notify": 17,
    "close": 5,
    "withdraw": 16,
}
_FINISHED = frozenset({Stage.CLOSED, Stage.WITHDRAWN, Stage.NOTIFIED, Stage.DENIED})


def _weekday(day: date) -> date:
    while day.weekday() != 3:
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


_REASONS = {
    "verify": "Record checked against the court file",
    "screen": "Screened against office policy",
    "consent": "Consent: within office policy",
    "oppose": "Oppose: excluded by policy",
    "request_info": "Need the certificate of disposition",
    "file": "Motion filed",
    "calendar": "Placed on the court calendar",
    "adjourn": "Adjourned by the court",
    "grant": "Granted: vacated and dismissed",
    "deny": "Denied by the court",
    "seal": "Sealing confirmed by the court",
    "notify": "Person notified",
    "close": "Matter complete",
    "withdraw": "Withdrawn at the person's request or as there is nothing to vacate",
}
