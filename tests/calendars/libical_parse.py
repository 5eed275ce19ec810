"""Parse iCalendar texts with libical 3 (Evolution, KDE) through its GObject bindings.

Runs under Debian's /usr/bin/python3 (python3-gi is not in the project's venv). Reads a JSON
list of texts on stdin and writes, per text, the events libical read, its parse errors and,
when the text has a METHOD, whether RFC 5546's restriction tables accept it.
"""

import json
import sys
from typing import Any

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402

UTC = I.Timezone.get_utc_timezone()


def when(time: Any) -> str:
    if time.is_date():
        return f"{time.get_year():04d}-{time.get_month():02d}-{time.get_day():02d}"
    if time.get_timezone() is None and not time.is_utc():
        raise ValueError("floating or unresolved time")
    t = time.clone()
    t.convert_to_zone_inplace(UTC)
    return (
        f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}T"
        f"{t.get_hour():02d}:{t.get_minute():02d}:{t.get_second():02d}.000Z"
    )


def read(text: str) -> dict[str, Any]:
    root = I.Component.new_from_string(text)
    if root is None:
        raise ValueError("libical could not parse the text")
    errors = root.count_errors()
    method = root.get_first_property(I.PropertyKind.METHOD_PROPERTY)
    itip_ok = bool(root.check_restrictions()) if method else None
    events: list[dict[str, Any]] = []
    event = root.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
    while event is not None:
        attendees = []
        prop = event.get_first_property(I.PropertyKind.ATTENDEE_PROPERTY)
        while prop is not None:
            attendees.append(prop.get_attendee())
            prop = event.get_next_property(I.PropertyKind.ATTENDEE_PROPERTY)
        organizer = event.get_first_property(I.PropertyKind.ORGANIZER_PROPERTY)
        events.append(
            {
                "uid": event.get_uid(),
                "sequence": event.get_sequence(),
                "status": I.Property.status_to_string(event.get_status()),
                "summary": event.get_summary(),
                "description": event.get_description(),
                "location": event.get_location(),
                "start": when(event.get_dtstart()),
                "end": when(event.get_dtend()),
                "stamp": when(event.get_dtstamp()),
                "organizer": organizer.get_organizer() if organizer else None,
                "attendees": attendees,
            }
        )
        event = root.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
    return {
        "errors": errors,
        "itip_ok": itip_ok,
        "method": I.Property.method_to_string(method.get_method()) if method else None,
        "events": events,
    }


out: list[dict[str, Any]] = []
for text in json.load(sys.stdin):
    try:
        out.append(read(text))
    except Exception as error:  # reported to the test, which fails with it
        out.append({"error": repr(error)})
json.dump(out, sys.stdout)
