"""One Event as an icalendar VEVENT; shared by feeds and invitations so both say the same."""

from datetime import UTC, datetime

from icalendar import Event as VEvent

from calendars.events import Event
from calendars.timezone import BRUSSELS


def _local(value: object) -> object:
    # Timed values are written with TZID=Europe/Brussels, never in UTC only or floating.
    return value.astimezone(BRUSSELS) if isinstance(value, datetime) else value


def vevent(event: Event) -> VEvent:
    """The VEVENT for an event, without ORGANIZER or ATTENDEE (feeds never carry them)."""
    if isinstance(event.start, datetime) != isinstance(event.end, datetime):
        raise ValueError(f"{event.uid}: start and end must both be instants or both be days")
    if event.end <= event.start:
        raise ValueError(f"{event.uid}: an event must end after it starts")
    stamp = event.changed_at.astimezone(UTC)
    component = VEvent()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", stamp)
    component.add("last-modified", stamp)
    component.add("dtstart", _local(event.start))
    component.add("dtend", _local(event.end))
    component.add("summary", event.summary)
    component.add("status", event.status.value)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.url:
        component.add("url", event.url)
    if event.categories:
        component.add("categories", list(event.categories))
    if event.transparent:
        component.add("transp", "TRANSPARENT")
    return component
