"""iTIP invitations (RFC 5546): one event, the organizer, and the one person invited."""

from enum import StrEnum

from icalendar import Calendar, vCalAddress

from calendars.components import vevent
from calendars.events import Event, Party, Status
from calendars.feeds import PRODID
from calendars.timezone import vtimezone


class Method(StrEnum):
    """What an invitation asks: to put the event in the calendar, or to take it out."""

    request = "REQUEST"
    cancel = "CANCEL"


def _address(party: Party) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = party.name  # quoted by icalendar when it holds , ; or :
    return address


def invitation(*, method: Method, event: Event, organizer: Party, attendee: Party) -> bytes:
    """The text/calendar body of a REQUEST or CANCEL for one event and one recipient."""
    if organizer.email.lower() == attendee.email.lower():
        raise ValueError("the organizer cannot be the one invited: clients then offer no answer")
    if method is Method.cancel and event.status is not Status.cancelled:
        raise ValueError("a CANCEL carries STATUS:CANCELLED")
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    calendar.add_component(vtimezone())
    component = vevent(event)
    component.add("organizer", _address(organizer))
    attendee_address = _address(attendee)
    attendee_address.params["ROLE"] = "REQ-PARTICIPANT"
    attendee_address.params["PARTSTAT"] = "NEEDS-ACTION"
    attendee_address.params["RSVP"] = "TRUE"
    component.add("attendee", attendee_address)
    calendar.add_component(component)
    body: bytes = calendar.to_ical()
    return body
