"""The weekly report's figures as plain data: what the writers (xlsx, PDF) and the tests read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from casetracker.domain.enums import County, MotionKind, Stage
from casetracker.domain.workflow import FINAL_STAGES
from casetracker.reports.calendar import Week

# The history actions counted as movement, in the order the report lists them.
MOVEMENT: tuple[tuple[str, str], ...] = (
    ("intake", "New intakes"),
    ("import", "Imported"),
    ("verify", "Records verified"),
    ("screen", "Screened"),
    ("consent", "Consents"),
    ("oppose", "Oppositions"),
    ("request_info", "More-information requests"),
    ("file", "Filed"),
    ("calendar", "Calendared"),
    ("adjourn", "Adjourned"),
    ("grant", "Granted"),
    ("deny", "Denied"),
    ("seal", "Sealed"),
    ("notify", "Notified"),
    ("withdraw", "Withdrawn"),
    ("close", "Closed"),
)
MOVEMENT_ACTIONS = tuple(action for action, _ in MOVEMENT)
ACTION_LABELS = dict(MOVEMENT)
# Actions that put a motion into a stage (and so start a stay there); field changes do not.
STAGE_ACTIONS = MOVEMENT_ACTIONS

# The trend shows the actions leadership follows week to week.
# The first five are the ones charted.
TREND_SERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("New (intake + import)", ("intake", "import")),
    ("Consents", ("consent",)),
    ("Filed", ("file",)),
    ("Granted", ("grant",)),
    ("Sealed", ("seal",)),
    ("Screened", ("screen",)),
    ("Oppositions", ("oppose",)),
    ("Denied", ("deny",)),
    ("Notified", ("notify",)),
    ("Withdrawn", ("withdraw",)),
)
TREND_WEEKS = 12

BUCKETS = ("0–30 days", "31–60 days", "61–90 days", "Over 90 days")
BUCKET_LIMITS = (30, 60, 90)
OPEN_STAGES = tuple(s for s in Stage if s not in FINAL_STAGES)

Progress = Callable[[int, int, str], None]


def bucket_of(days: int) -> int:
    for index, limit in enumerate(BUCKET_LIMITS):
        if days <= limit:
            return index
    return len(BUCKET_LIMITS)


def consent_rate(consents: int, oppositions: int) -> float | None:
    """Share of consent decisions among consent and oppose decisions; 'more information'
    is not a decision, so it is left out."""
    decided = consents + oppositions
    return consents / decided if decided else None


@dataclass(frozen=True)
class ReportScope:
    """Which motions the report covers; empty means all."""

    counties: tuple[County, ...] = ()
    kinds: tuple[MotionKind, ...] = ()

    @property
    def title(self) -> str:
        counties = ", ".join(c.label for c in self.counties) or "all counties"
        kinds = ", ".join(k.label for k in self.kinds) or "all kinds of motion"
        return f"{counties}; {kinds}"


@dataclass
class GroupFigures:
    """The summary numbers for one slice of the motions (all of them, a county, a prosecutor)."""

    label: str = ""
    stages: dict[Stage, int] = field(default_factory=lambda: {s: 0 for s in Stage})
    moved: dict[str, int] = field(default_factory=lambda: {a: 0 for a in MOVEMENT_ACTIONS})
    backlog: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))

    @property
    def total(self) -> int:
        return sum(self.stages.values())

    @property
    def open(self) -> int:
        return sum(self.stages[s] for s in OPEN_STAGES)

    @property
    def consent_rate(self) -> float | None:
        return consent_rate(self.moved["consent"], self.moved["oppose"])


@dataclass(slots=True)
class MovedRow:
    event_id: int
    motion_id: int
    person: str
    reference: str
    county: County | None
    kind: MotionKind
    action: str
    from_stage: Stage | None
    to_stage: Stage
    user: str
    at: datetime  # local, naive
    days_in_previous: float | None
    reason: str


@dataclass(slots=True)
class BacklogRow:
    motion_id: int
    person: str
    reference: str
    county: County | None
    kind: MotionKind
    stage: Stage
    prosecutor: str | None
    entered: datetime  # local, naive
    days: int


@dataclass(slots=True)
class OverdueRow:
    motion_id: int
    person: str
    reference: str
    county: County | None
    prosecutor: str | None
    order_date: date | None
    deadline: date
    days_overdue: int


@dataclass
class TrendWeek:
    week: Week
    counts: dict[str, int]

    def series(self, actions: tuple[str, ...]) -> int:
        return sum(self.counts.get(a, 0) for a in actions)


@dataclass
class MedianStay:
    stage: Stage
    median_days: float
    stays: int


@dataclass
class WeeklyReport:
    week: Week
    as_of: date
    generated_at: datetime  # local, naive
    scope: ReportScope
    totals: GroupFigures
    consent_rate_to_date: float | None
    medians: list[MedianStay]
    breakdowns: dict[str, list[GroupFigures]]
    trend: list[TrendWeek]
    moved: list[MovedRow]
    backlog: list[BacklogRow]
    overdue: list[OverdueRow]

    @property
    def title(self) -> str:
        return f"Weekly status report, week ending {self.week.end:%a %d %b %Y}"
