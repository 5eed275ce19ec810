"""Subscription feeds: a VCALENDAR without METHOD, ATTENDEE or ORGANIZER (RFC 5545, 7986)."""

from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache

from icalendar import Calendar

from calendars.components import vevent
from calendars.events import Event
from calendars.timezone import TZID, vtimezone

PRODID = "-//Kenniscentrum Vlaamse Steden//Overleg//NL"
# A hint only: Google ignores it, Outlook desktop and Nextcloud honour it.
REFRESH = timedelta(hours=1)
_END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=50_000)
def _vevent_bytes(event: Event) -> bytes:
    """One event's lines; an unchanged event is serialized once (about 1 ms each)."""
    body: bytes = vevent(event).to_ical()
    return body


def feed(*, name: str, events: Sequence[Event]) -> bytes:
    """The bytes of a feed named `name` holding `events`, in the order given."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(vtimezone())
    head: bytes = calendar.to_ical()
    # The same bytes as adding the events to the calendar: its lines, then each component's.
    return head.removesuffix(_END) + b"".join(_vevent_bytes(e) for e in events) + _END
