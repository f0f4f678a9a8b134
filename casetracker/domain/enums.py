"""The vocabularies of the domain. Values are stored in the database, so never rename one."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A stored value with a label for people; labels may change, values may not."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> LabelledEnum:
        """Accept a value or a label in any case, with spaces, hyphens or underscores."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if key in (member.value, member.label.lower().replace(" ", "_")):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text}' is not a {cls.__name__} (choose from: {choices})")


class MotionKind(LabelledEnum):
    CONVICTION_VACATUR = "conviction_vacatur"
    WARRANT_DISMISSAL = "warrant_dismissal"


class Stage(LabelledEnum):
    INTAKE = "intake"
    VERIFIED = "verified"
    SCREENED = "screened"
    INFO_NEEDED = "info_needed"
    CONSENTED = "consented"
    OPPOSED = "opposed"
    FILED = "filed"
    CALENDARED = "calendared"
    GRANTED = "granted"
    DENIED = "denied"
    SEALED = "sealed"
    NOTIFIED = "notified"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Decision(LabelledEnum):
    CONSENT = "consent"
    OPPOSE = "oppose"
    INFO = "info"


class CourtOutcome(LabelledEnum):
    GRANTED = "granted"
    DENIED = "denied"


class ScreeningResult(LabelledEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_REVIEW = "needs_review"
    EXPUNGED_BY_LAW = "expunged_by_law"
    # The case ended without a conviction, or in one for a charge the motion is not about (a
    # plea to PL 240.20 on a PL 221.10 arrest): there is no marijuana conviction to vacate.
    NOTHING_TO_VACATE = "nothing_to_vacate"


class IntakeChannel(LabelledEnum):
    EVENT = "event"
    WALK_IN = "walk_in"
    REFERRAL = "referral"
    IMPORT = "import"


class County(LabelledEnum):
    KINGS = "kings"
    NEW_YORK = "new_york"
    BRONX = "bronx"
    QUEENS = "queens"
    RICHMOND = "richmond"

    @classmethod
    def from_text(cls, text: str) -> County | None:
        """Open data uses K/M/B/Q/S; people write boroughs; records write counties."""
        key = "".join(ch for ch in text.strip().lower() if ch.isalpha())
        return _COUNTY_WORDS.get(key)


class WarrantStatus(LabelledEnum):
    NONE = "none"
    OPEN = "open"
    VACATED = "vacated"


class FlagKind(LabelledEnum):
    SEX_OFFENSE = "sex_offense"
    VIOLENT_FELONY = "violent_felony"
    OPEN_FELONY = "open_felony"


class NotificationMethod(LabelledEnum):
    MAIL = "mail"
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    TEXT = "text"


class DispositionKind(LabelledEnum):
    """How a case ended, as far as vacatur cares: only a conviction leaves something to vacate."""

    CONVICTED = "convicted"
    DISMISSED = "dismissed"
    # Adjourned in contemplation of dismissal (CPL 170.55/170.56): dismissed and sealed later.
    ACD = "acd"
    # A youthful offender adjudication replaces the conviction (CPL 720.35).
    YOUTHFUL_OFFENDER = "youthful_offender"
    ACQUITTED = "acquitted"
    # No disposition yet: the case is still open (an open summons warrant, a pending case).
    PENDING = "pending"
    # A disposition was written but is none of the above (abated by death, transferred, ...).
    OTHER = "other"


class ChargeRole(LabelledEnum):
    """A case's charges are those it was brought on (arrest or summons charges) and, after a
    plea or verdict, the charges it ended in; they often differ (arrested for PL 221.10,
    convicted of PL 240.20)."""

    ARREST = "arrest"
    CONVICTION = "conviction"


class NotificationOutcome(LabelledEnum):
    # The person was reached (a call answered, a letter or email that arrived): the one
    # outcome that makes a motion notified.
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"
    NO_CONTACT = "no_contact"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"

    @property
    def reached(self) -> bool:
        return self is NotificationOutcome.DELIVERED


_LABELS: dict[StrEnum, str] = {
    MotionKind.CONVICTION_VACATUR: "Conviction vacatur",
    MotionKind.WARRANT_DISMISSAL: "Warrant dismissal",
    Stage.INTAKE: "Intake",
    Stage.VERIFIED: "Record verified",
    Stage.SCREENED: "Screened",
    Stage.INFO_NEEDED: "More info needed",
    Stage.CONSENTED: "Consented",
    Stage.OPPOSED: "Opposed",
    Stage.FILED: "Filed",
    Stage.CALENDARED: "Calendared",
    Stage.GRANTED: "Granted",
    Stage.DENIED: "Denied",
    Stage.SEALED: "Sealed",
    Stage.NOTIFIED: "Notified",
    Stage.CLOSED: "Closed",
    Stage.WITHDRAWN: "Withdrawn",
    Decision.INFO: "More information needed",
    ScreeningResult.NEEDS_REVIEW: "Needs review",
    ScreeningResult.EXPUNGED_BY_LAW: "Already expunged by law",
    County.KINGS: "Kings (Brooklyn)",
    County.NEW_YORK: "New York (Manhattan)",
    County.BRONX: "Bronx",
    County.QUEENS: "Queens",
    County.RICHMOND: "Richmond (Staten Island)",
    FlagKind.SEX_OFFENSE: "Sex-offense conviction",
    FlagKind.VIOLENT_FELONY: "Violent-felony conviction",
    FlagKind.OPEN_FELONY: "Open felony case",
    NotificationOutcome.DELIVERED: "Reached (delivered)",
    NotificationOutcome.NO_CONTACT: "No contact details",
    NotificationOutcome.LEFT_MESSAGE: "Left a message",
    DispositionKind.ACD: "ACD (adjourned in contemplation of dismissal)",
    DispositionKind.YOUTHFUL_OFFENDER: "Youthful offender adjudication",
    ChargeRole.ARREST: "Arrest or summons charge",
    ChargeRole.CONVICTION: "Conviction charge",
}

_COUNTY_WORDS: dict[str, County] = {
    "k": County.KINGS,
    "kings": County.KINGS,
    "brooklyn": County.KINGS,
    "bk": County.KINGS,
    "kn": County.KINGS,
    "m": County.NEW_YORK,
    "newyork": County.NEW_YORK,
    "manhattan": County.NEW_YORK,
    "ny": County.NEW_YORK,
    "nycounty": County.NEW_YORK,
    "newyorkcounty": County.NEW_YORK,
    "b": County.BRONX,
    "bronx": County.BRONX,
    "bx": County.BRONX,
    "q": County.QUEENS,
    "queens": County.QUEENS,
    "qn": County.QUEENS,
    "s": County.RICHMOND,
    "richmond": County.RICHMOND,
    "statenisland": County.RICHMOND,
    "si": County.RICHMOND,
    "ri": County.RICHMOND,
}
for _county in County:
    _COUNTY_WORDS.setdefault(_county.value.replace("_", ""), _county)
    _COUNTY_WORDS.setdefault(_county.value.replace("_", "") + "county", _county)
