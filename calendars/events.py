"""What a calendar shows, already decided and localized by the service layer."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Status(StrEnum):
    """The STATUS values a VEVENT may carry (RFC 5545 §3.8.1.11)."""

    tentative = "TENTATIVE"
    confirmed = "CONFIRMED"
    cancelled = "CANCELLED"


@dataclass(frozen=True)
class Event:
    """One VEVENT: a timed event (aware datetimes) or an all-day one (dates, end exclusive)."""

    uid: str
    sequence: int
    # The last real change: DTSTAMP and LAST-MODIFIED, so an unchanged event is byte-identical.
    changed_at: datetime
    summary: str
    start: datetime | date
    end: datetime | date
    status: Status = Status.confirmed
    description: str | None = None
    location: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    # Deadlines and due dates mark a moment; they should not make anyone look busy.
    transparent: bool = False


@dataclass(frozen=True)
class Party:
    """A person on an invitation: the organizer's mailbox or the one invited."""

    name: str
    email: str
