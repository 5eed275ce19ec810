"""Dates that may be known only to the month, quarter, half year or year ("begin 2026")."""

from datetime import date, timedelta
from enum import StrEnum

from models.errors import N_, DomainError


class DatePrecision(StrEnum):
    """How much of a date is known; the stored date is the first day of the period."""

    day = "day"
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"


_PERIOD_MONTHS = {
    DatePrecision.month: 1,
    DatePrecision.quarter: 3,
    DatePrecision.half_year: 6,
    DatePrecision.year: 12,
}


def check_period_start(value: date, precision: DatePrecision) -> None:
    """Refuse a period date that is not the first day of its month, quarter, half or year."""
    if precision is DatePrecision.day:
        return
    months = _PERIOD_MONTHS[precision]
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
    months = _PERIOD_MONTHS[precision]
    month_index = value.year * 12 + value.month - 1 + months
    first_of_next = date(month_index // 12, month_index % 12 + 1, 1)
    return first_of_next - timedelta(days=1)
