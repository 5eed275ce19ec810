"""iTIP REPLY messages shaped as Outlook, Gmail, Apple Calendar and Thunderbird send them.

Each builder returns the raw bytes of one email, as the client would put it in the
organizer's mailbox, for a meeting UID, SEQUENCE and attendee address.
"""

import base64
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Protocol

ORGANIZER = "secretariaat@kcvs.example"


def _calendar_part(ics: str, *, base64_encoded: bool = False) -> MIMEText:
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", "REPLY")
    if not base64_encoded:
        del part["Content-Transfer-Encoding"]
        part.set_payload(ics.encode("utf-8"))
        part["Content-Transfer-Encoding"] = "8bit"
    return part


def _headers(message: EmailMessage | MIMEMultipart, sender: str, subject: str, tag: str) -> None:
    message["From"] = sender
    message["To"] = ORGANIZER
    message["Subject"] = subject
    message["Message-ID"] = f"<{tag}@mail.test.example>"
    message["Date"] = "Sat, 05 Dec 2026 10:00:00 +0100"


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def outlook(uid: str, sequence: int, attendee: str, *, tag: str) -> bytes:
    """Outlook: Tentative with a note and a proposed new time, Windows zone names, X-MS props."""
    ics = _crlf(f"""BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:Romance Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;PARTSTAT=TENTATIVE;CN=Outlook Gebruiker:MAILTO:{attendee.upper()}
COMMENT;LANGUAGE=nl-BE:Ik stel een later uur voor\\, ik kom uit een andere ver
 gadering.
SUMMARY;LANGUAGE=nl-BE:Voorlopig: Vergadering
DTSTART;TZID=Romance Standard Time:20261222T140000
DTEND;TZID=Romance Standard Time:20261222T160000
UID:{uid}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20261205T090000Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:{sequence}
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}
X-MICROSOFT-CDO-OWNERAPPTID:-1234567
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-DISALLOW-COUNTER:FALSE
X-MS-OLK-PROPOSEDSTARTTIME;TZID=Romance Standard Time:20261222T140000
X-MS-OLK-PROPOSEDENDTIME;TZID=Romance Standard Time:20261222T160000
END:VEVENT
END:VCALENDAR
""")
    message = MIMEMultipart("alternative")
    _headers(message, f"Outlook Gebruiker <{attendee}>", "Voorlopig: Vergadering", tag)
    message.attach(MIMEText("Nieuwe tijd voorgesteld.", "plain", "utf-8"))
    message.attach(MIMEText("<p>Nieuwe tijd voorgesteld.</p>", "html", "utf-8"))
    message.attach(_calendar_part(ics, base64_encoded=True))
    return message.as_bytes()


def gmail(uid: str, sequence: int, attendee: str, *, tag: str) -> bytes:
    """Gmail: the whole event echoed, X-RESPONSE-COMMENT, inline part plus invite.ics."""
    ics = _crlf(f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
DTSTART:20261222T090000Z
DTEND:20261222T110000Z
DTSTAMP:20261205T090000Z
ORGANIZER;CN=Secretariaat KCVS:mailto:{ORGANIZER}
UID:{uid}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={attendee};
 X-NUM-GUESTS=0;X-RESPONSE-COMMENT="Graag, ik breng de cijfers mee":mailto:{attendee}
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
CREATED:20261120T090000Z
DESCRIPTION:Agenda\\n1. Opening\\n2. Stand van zaken NIS2\\n3. Rondvraag\\n\\nDit i
 s een lange beschrijving die Google terugstuurt zoals ze was.
LAST-MODIFIED:20261205T090000Z
LOCATION:Online
SEQUENCE:{sequence}
STATUS:CONFIRMED
SUMMARY:Vergadering
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
""")
    outer = MIMEMultipart("mixed")
    _headers(outer, f"<{attendee}>", f"Uitnodiging geaccepteerd: Vergadering ({attendee})", tag)
    inner = MIMEMultipart("alternative")
    inner.attach(MIMEText("Geaccepteerd.", "plain", "utf-8"))
    inner.attach(_calendar_part(ics))
    outer.attach(inner)
    attachment = MIMEApplication(ics.encode("utf-8"), "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    outer.attach(attachment)
    return outer.as_bytes()


def apple(uid: str, sequence: int, attendee: str, *, tag: str) -> bytes:
    """Apple Calendar: an .ics attachment only (octet-stream), X-APPLE props, no note."""
    ics = _crlf(f"""BEGIN:VCALENDAR
METHOD:REPLY
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Europe/Brussels
X-LIC-LOCATION:Europe/Brussels
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZNAME:CET
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;CN="Apple, Gebruiker";CUTYPE=INDIVIDUAL;EMAIL={attendee};PARTSTAT=DE
 CLINED:mailto:{attendee}
DTEND;TZID=Europe/Brussels:20261222T120000
DTSTAMP:20261205T090000Z
DTSTART;TZID=Europe/Brussels:20261222T100000
ORGANIZER;CN="Secretariaat KCVS":mailto:{ORGANIZER}
SEQUENCE:{sequence}
SUMMARY:Vergadering
UID:{uid}
X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
REQUEST-STATUS:2.0;Success
END:VEVENT
END:VCALENDAR
""")
    outer = MIMEMultipart("mixed")
    _headers(outer, f"Gebruiker Apple <{attendee}>", "Uitnodiging geweigerd: Vergadering", tag)
    outer.attach(MIMEText("Gebruiker heeft geweigerd.", "plain", "utf-8"))
    attachment = MIMEApplication(ics.encode("utf-8"), "octet-stream")
    attachment.add_header("Content-Disposition", "attachment", filename="iCal-20261205-100000.ics")
    outer.attach(attachment)
    return outer.as_bytes()


def thunderbird(uid: str, sequence: int, attendee: str, *, tag: str) -> bytes:
    """Thunderbird: long lines folded at 75 octets, inline part and invite.ics the same."""
    long_name = "Thunderbird Gebruiker met een heel lange naam die de regel laat plooien"
    ics = _crlf(f"""BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
CREATED:20261120T090000Z
LAST-MODIFIED:20261205T090000Z
DTSTAMP:20261205T090000Z
UID:{uid}
SUMMARY:Vergadering
ORGANIZER;CN=Secretariaat KCVS:mailto:{ORGANIZER}
ATTENDEE;RSVP=TRUE;CN="{long_name[:30]}
 {long_name[30:]}";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailt
 o:{attendee}
DTSTART:20261222T090000Z
DTEND:20261222T110000Z
SEQUENCE:{sequence}
X-MOZ-RECEIVED-SEQUENCE:{sequence}
X-MOZ-RECEIVED-DTSTAMP:20261205T090000Z
X-MOZ-GENERATION:1
END:VEVENT
END:VCALENDAR
""")
    outer = MIMEMultipart("mixed")
    _headers(outer, f"{long_name} <{attendee}>", "Geaccepteerd: Vergadering", tag)
    inner = MIMEMultipart("alternative")
    inner.attach(MIMEText("Geaccepteerd.", "plain", "utf-8"))
    inner.attach(_calendar_part(ics))
    outer.attach(inner)
    attachment = MIMEApplication(ics.encode("utf-8"), "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    outer.attach(attachment)
    return outer.as_bytes()


def bare(ics: str, *, sender: str, tag: str) -> bytes:
    """A plain message whose only body is a text/calendar REPLY (for the broken shapes)."""
    message = EmailMessage()
    _headers(message, sender, "Antwoord", tag)
    message.set_content(_crlf(ics).encode("utf-8"), "text", "calendar", params={"method": "REPLY"})
    return message.as_bytes()


def minimal(uid: str, sequence: int, attendee: str | None, partstat: str = "ACCEPTED") -> str:
    """A REPLY with only what RFC 5546 asks, and no ATTENDEE when `attendee` is None."""
    line = f"ATTENDEE;PARTSTAT={partstat}:mailto:{attendee}\n" if attendee else ""
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
METHOD:REPLY
BEGIN:VEVENT
UID:{uid}
SEQUENCE:{sequence}
DTSTAMP:20261205T090000Z
ORGANIZER:mailto:{ORGANIZER}
{line}END:VEVENT
END:VCALENDAR
"""


def large(tag: str, size: int = 5 * 1024 * 1024) -> bytes:
    """A message with a 5 MB attachment."""
    message = EmailMessage()
    _headers(message, "iemand@test.example", "Groot bestand", tag)
    message.set_content("Zie bijlage.")
    message.add_attachment(base64.b64encode(b"x" * (size * 3 // 4)), "application", "pdf")
    return message.as_bytes()


class Builder(Protocol):
    """The signature every client's builder shares."""

    def __call__(self, uid: str, sequence: int, attendee: str, *, tag: str) -> bytes: ...
