"""Which days a working group can meet: no Belgian public holidays, no summer break."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

# The Flemish Community's holiday is not a national one, but the centre cities are Flemish.
FLEMISH_COMMUNITY_DAY = (7, 11)
# No meetings from the second half of July to the end of August (the groups' summer break).
SUMMER_BREAK = ((7, 15), (8, 31))


@lru_cache
def public_holidays(year: int) -> frozenset[date]:
    """Belgian public holidays of a year, plus the Flemish Community's day."""
    days = set(holidays.country_holidays("BE", years=year).keys())
    days.add(date(year, *FLEMISH_COMMUNITY_DAY))
    return frozenset(days)


def in_summer_break(day: date) -> bool:
    """Whether a day falls in the summer break."""
    start, end = SUMMER_BREAK
    return date(day.year, *start) <= day <= date(day.year, *end)


def is_meeting_day(day: date) -> bool:
    """A weekday that is neither a public holiday nor in the summer break."""
    return day.weekday() < 5 and day not in public_holidays(day.year) and not in_summer_break(day)


def is_working_day(day: date) -> bool:
    """A weekday that is not a public holiday (the summer break still counts as work)."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The day `count` working days after `start`."""
    day = start
    while count > 0:
        if day == date.max:
            # A row dated at the calendar's end (from before dates were bounded) must not
            # break every page that shows it.
            return day
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
