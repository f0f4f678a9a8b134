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

# Days an open motion has waited in its stage; the dashboard and the report share them.
BUCKETS = ("0–30 days", "31–90 days", "91–180 days", "181–365 days", "Over a year")
BUCKET_LIMITS = (30, 90, 180, 365)
OPEN_STAGES = tuple(s for s in Stage if s not in FINAL_STAGES)
# Open, but nothing is left to do except close them: not open work, shown apart. An opposed
# motion waits only for "close" once a supervisor has signed the opposition off.
WAITING_CLOSE_STAGES = (Stage.NOTIFIED, Stage.DENIED)

# What a detail row of a sealed motion shows in place of the person, for a reader whose role
# may not see sealed records by name (accounts.sealed.HIDDEN_NAME says the same).
SEALED_NAME = "(sealed record)"

# Results leadership asks for, to date and this week. Each counts things, not events: a
# motion granted, undone and granted again is one conviction vacated.
RESULTS: tuple[tuple[str, str], ...] = (
    ("convictions", "Convictions vacated"),
    ("warrants", "Warrants vacated"),
    ("cases", "Cases dismissed"),
    ("sealed", "Cases sealed"),
    ("people_cleared", "People cleared"),
    ("people_notified", "People notified"),
)

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
    # Open work (open motions not merely waiting to be closed) by days in the current stage.
    backlog: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    waiting_close: int = 0

    @property
    def total(self) -> int:
        return sum(self.stages.values())

    @property
    def open_work(self) -> int:
        return sum(self.backlog)

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
    entered: date  # the local day the motion entered its stage
    days: int
    waiting_close: bool = False


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
class ResultCounts:
    """RESULTS keys to counts; a week's count is what was first reached during that week."""

    to_date: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in RESULTS})
    this_week: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in RESULTS})


@dataclass
class Results:
    totals: ResultCounts
    by_kind: dict[str, ResultCounts]
    by_county: dict[str, ResultCounts]


@dataclass(frozen=True)
class ConsentCounts:
    """The counts behind a consent rate, and what the rate leaves out."""

    consents: int = 0
    oppositions: int = 0
    info_requests: int = 0
    screened_ineligible: int = 0

    @property
    def rate(self) -> float | None:
        return consent_rate(self.consents, self.oppositions)

    @property
    def decisions(self) -> int:
        return self.consents + self.oppositions


@dataclass
class MedianStay:
    stage: Stage
    median_days: float
    stays: int


@dataclass
class WeeklyReport:
    week: Week
    # The last local day the figures include: the week's Sunday, or today for a week that
    # has not ended (then `partial` is true and the figures are as of `cutoff`).
    as_of: date
    cutoff: datetime  # local, naive: the moment the state and the counts are taken at
    partial: bool
    generated_at: datetime  # local, naive
    scope: ReportScope
    totals: GroupFigures
    consent_week: ConsentCounts
    consent_to_date: ConsentCounts
    results: Results
    overdue_count: int
    # Detail rows of sealed motions whose names were left out (the reader's role may not see
    # sealed records by name), and the audit chain's head when the report was made.
    sealed_masked: int
    chain_head: str | None
    medians: list[MedianStay]
    breakdowns: dict[str, list[GroupFigures]]
    trend: list[TrendWeek]
    moved: list[MovedRow]
    backlog: list[BacklogRow]
    overdue: list[OverdueRow]

    @property
    def consent_rate_to_date(self) -> float | None:
        return self.consent_to_date.rate

    @property
    def title(self) -> str:
        partial = " (partial: the week has not ended)" if self.partial else ""
        return f"Weekly status report, week ending {self.week.end:%a %d %b %Y}{partial}"

    @property
    def state_title(self) -> str:
        """When stage counts and the backlog are taken, in words."""
        if self.partial:
            return f"as of {self.cutoff:%a %d %b %Y %H:%M} (the week has not ended)"
        return f"as of the end of {self.week.end:%a %d %b %Y}"
