"""Read generated calendars with four independent parsers and a lint, and compare what they see.

Parsers: `ical` (strict, pydantic), `vobject` (validate=True, with recurrence expansion through
getrruleset()), Mozilla's ical.js under Node (tests/calendars/icaljs_parse.js, installed from
package-lock.json by the test command) and libical 3 through python3-gi (Debian's Python:
tests/calendars/libical_parse.py). None of them shares code with icalendar, which writes the
bytes. The lint catches what no parser reports (../shared/docs/calendars.md §1.3).
"""

import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import vobject
from ical.calendar_stream import IcsCalendarStream

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-gi and gir1.2-ical-3.0 live
MAX_FEED_BYTES = 1_000_000  # Google drops events from larger subscriptions


@dataclass(frozen=True)
class Seen:
    """What a parser read of one event; times as UTC ISO text, days as YYYY-MM-DD."""

    uid: str
    sequence: int
    status: str
    summary: str
    start: str
    end: str
    description: str | None = None
    location: str | None = None


def when(value: datetime | date) -> str:
    """The comparable text of an instant (UTC, milliseconds) or a day."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise AssertionError(f"floating time {value}")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.isoformat()


def _known(value: datetime | date | None) -> datetime | date:
    assert value is not None, "an event without a start or an end"
    return value


def _ical(text: str) -> list[Seen]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [
        Seen(
            uid=e.uid,
            sequence=e.sequence or 0,
            status=str(e.status.value) if e.status else "",
            summary=e.summary or "",
            start=when(_known(e.dtstart)),
            end=when(_known(e.end)),
            description=e.description,
            location=e.location,
        )
        for e in calendar.events
    ]


def _value(event: Any, name: str) -> Any:
    return event.contents[name][0].value if name in event.contents else None


def _vobject(text: str) -> list[Seen]:
    seen = []
    for calendar in vobject.readComponents(StringIO(text), validate=True):
        for event in calendar.contents.get("vevent", []):
            # Our events do not recur (each meeting is its own event): no rule set, or one date.
            ruleset = event.getrruleset(addRDate=True)
            assert ruleset is None or len(list(ruleset)) == 1, _value(event, "uid")
            seen.append(
                Seen(
                    uid=_value(event, "uid"),
                    sequence=int(_value(event, "sequence") or 0),
                    status=_value(event, "status") or "",
                    summary=_value(event, "summary") or "",
                    start=when(_value(event, "dtstart")),
                    end=when(_value(event, "dtend")),
                    description=_value(event, "description"),
                    location=_value(event, "location"),
                )
            )
    return seen


def _from_json(events: list[dict[str, Any]]) -> list[Seen]:
    return [
        Seen(
            uid=e["uid"],
            sequence=int(e["sequence"] or 0),
            status=e["status"] or "",
            summary=e["summary"] or "",
            start=e["start"],
            end=e["end"],
            description=e["description"] or None,
            location=e["location"] or None,
        )
        for e in events
    ]


def _batch(command: list[str], texts: Sequence[str]) -> list[dict[str, Any]]:
    result = subprocess.run(
        command, input=json.dumps(list(texts)), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out: list[dict[str, Any]] = json.loads(result.stdout)
    for entry in out:
        assert "error" not in entry, entry["error"]
    return out


def icaljs(texts: Sequence[str]) -> list[dict[str, Any]]:
    """What ical.js read of each text (one Node process for all)."""
    return _batch(["node", str(HERE / "icaljs_parse.js")], texts)


def libical(texts: Sequence[str]) -> list[dict[str, Any]]:
    """What libical read of each text, with its error count and iTIP verdict."""
    return _batch([SYSTEM_PYTHON, str(HERE / "libical_parse.py")], texts)


def lint(text: str, *, invitation: bool) -> None:
    """The checks no parser makes: line endings, folding, escaping, privacy, METHOD."""
    raw = text.encode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "CRLF only"
    assert len(raw) <= MAX_FEED_BYTES
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-2] == "END:VCALENDAR"
    assert unfolded.count("VERSION:2.0") == 1
    names = [line.split(":")[0].split(";")[0] for line in unfolded if line]
    if invitation:
        assert names.count("BEGIN") - names.count("END") == 0
        assert sum(1 for line in unfolded if line == "BEGIN:VEVENT") == 1, "one event"
        assert "ORGANIZER" in names and "ATTENDEE" in names
    else:
        for forbidden in ("METHOD", "ATTENDEE", "ORGANIZER"):
            assert forbidden not in names, f"{forbidden} in a feed"
        shown = "\n".join(line for line in unfolded if not line.startswith("UID:"))
        assert not re.search(r"[\w.+-]+@[\w-]+\.\w", shown), "an email address in a feed"
    in_event = False
    for line in unfolded:
        in_event = (in_event or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if not in_event:
            continue
        if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION")):
            value = line.split(":", 1)[1]
            assert not re.search(r"(?<!\\)[,;]", value), f"unescaped TEXT: {line}"
        if line.startswith(("DTSTAMP", "LAST-MODIFIED")):
            assert line.endswith("Z"), line
        if line.startswith(("DTSTART", "DTEND")) and "VALUE=DATE" not in line:
            assert "TZID=Europe/Brussels" in line or line.endswith("Z"), f"floating: {line}"
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(uids) == len(set(uids)), "duplicate UIDs"
    if "TZID=Europe/Brussels" in text:
        assert (
            "TZID:Europe/Brussels" in unfolded and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
        )


def read_everywhere(texts: Sequence[str], *, invitation: bool = False) -> list[list[Seen]]:
    """Lint every text, read it with all four parsers, and demand that they agree.

    Returns, per text, the events the parsers agreed on.
    """
    js, lib = icaljs(texts), libical(texts)
    agreed = []
    for text, from_js, from_lib in zip(texts, js, lib, strict=True):
        lint(text, invitation=invitation)
        assert from_lib["errors"] == 0, "libical reported parse errors"
        if invitation:
            assert from_lib["itip_ok"] is True, "libical's RFC 5546 restrictions refuse it"
            assert from_js["method"] == from_lib["method"]
        else:
            assert from_lib["itip_ok"] is None and from_js["method"] is None
        readings = {
            "ical": _ical(text),
            "vobject": _vobject(text),
            "ical.js": _from_json(from_js["events"]),
            "libical": _from_json(from_lib["events"]),
        }
        first = readings["ical"]
        for name, seen in readings.items():
            assert seen == first, f"{name} read the calendar differently from ical"
        agreed.append(first)
    return agreed


class Recorder:
    """Collects every feed body a test produced, to read them all at its end."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def check(self) -> None:
        """Read every distinct body with the four parsers (one batch)."""
        distinct = list(dict.fromkeys(self.bodies))
        if distinct:
            read_everywhere([body.decode("utf-8") for body in distinct])


def invitation_parties(text: str) -> tuple[str, list[str]]:
    """The ORGANIZER and ATTENDEE addresses of an invitation, as libical and ical.js read them."""
    (lib,), (js,) = libical([text]), icaljs([text])
    (event_lib,), (event_js,) = lib["events"], js["events"]
    assert event_lib["organizer"] == event_js["organizer"]
    assert event_lib["attendees"] == event_js["attendees"]
    return event_lib["organizer"], event_lib["attendees"]
