"""Europe/Brussels as one static, rule-based VTIMEZONE (what Google emits; Outlook reads it).

icalendar's add_missing_timezones() writes an RDATE list bounded to 1970-2038 with a COMMENT on
the VTIMEZONE, which strict parsers reject and Outlook has misapplied; this block is correct for
Belgium since 1996 (EU summer time rules).
"""

from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

TZID = "Europe/Brussels"
BRUSSELS = ZoneInfo(TZID)

VTIMEZONE = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        f"TZID:{TZID}",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "",
    ]
)


@lru_cache
def vtimezone() -> Timezone:
    """The static VTIMEZONE as an icalendar component (parsed once)."""
    component = Timezone.from_ical(VTIMEZONE)
    assert isinstance(component, Timezone)
    return component
