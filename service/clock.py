"""The one place that reads the wall clock; everything below the edges takes `now` as input."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    """Return the current instant, aware and in UTC."""
    return datetime.now(UTC)


def brussels(local: datetime) -> datetime:
    """Attach Europe/Brussels to a wall-clock time and return the instant in UTC."""
    if local.tzinfo is not None:
        raise ValueError("expected a wall-clock time without a zone")
    return local.replace(tzinfo=BRUSSELS).astimezone(UTC)


def local_today(now: datetime) -> date:
    """The day it is in Brussels at the instant `now`."""
    return now.astimezone(BRUSSELS).date()
