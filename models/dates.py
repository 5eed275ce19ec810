"""Dates that may be known only to the month, quarter, half year or year ("begin 2026")."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from models.errors import N_, DomainError


class DatePrecision(StrEnum):
    """How much of a date is known; the stored date is the first day of the period."""

    day = "day"
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"


# Every date a person can name lies in this window: nothing before 2000 is ever planned or due,
# and nothing past the end of the tenth year from now (a year like 9999 breaks every calendar
# computation after it: a period's end, working days, the Brussels offset).
FIRST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 10


def last_day(now: date) -> date:
    """The last day a person may name: 31 December of the tenth year from `now`."""
    return date(now.year + YEARS_AHEAD, 12, 31)


def check_window(value: date, *, now: date, field: str) -> None:
    """Refuse a date (or an instant's day) before 2000 or after the end of the tenth year ahead.

    The one check every use case that takes a date or time from a person calls.
    """
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= last_day(now):
        raise DomainError(
            N_("A date must lie between 1 January 2000 and 31 December %(last_year)s."),
            field=field,
            last_year=last_day(now).year,
        )


PERIOD_MONTHS = {
    DatePrecision.month: 1,
    DatePrecision.quarter: 3,
    DatePrecision.half_year: 6,
    DatePrecision.year: 12,
}


def check_period_start(value: date, precision: DatePrecision) -> None:
    """Refuse a period date that is not the first day of its month, quarter, half or year."""
    if precision is DatePrecision.day:
        return
    months = PERIOD_MONTHS[precision]
    if value.day != 1 or (value.month - 1) % months != 0:
        raise DomainError(
            N_(
                "A date known only to the month, quarter, half year or year must be the first"
                " day of that period."
            ),
            field="period_start",
        )


def period_end(value: date, precision: DatePrecision) -> date:
    """Return the last day of the period that starts at `value`."""
    if precision is DatePrecision.day:
        return value
    months = PERIOD_MONTHS[precision]
    month_index = value.year * 12 + value.month - 1 + months
    if month_index // 12 > date.max.year:
        # A row from before the window was enforced: its period ends with the calendar.
        return date.max
    first_of_next = date(month_index // 12, month_index % 12 + 1, 1)
    return first_of_next - timedelta(days=1)
