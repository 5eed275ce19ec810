"""Read iTIP REPLY messages (RFC 5546 over iMIP, RFC 6047): who answered what to which event.

Calendar clients shape a REPLY differently: Outlook adds COMMENT and X-MS properties and may
send the calendar twice (inline and as an attachment), Gmail puts the note in the ATTENDEE's
X-RESPONSE-COMMENT and echoes the whole event, Apple Calendar attaches an .ics file, and
Thunderbird folds long lines. This module finds every calendar part of a message, parses it
with icalendar, and returns the answers it carries, or why it carries none.
"""

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from enum import StrEnum

from icalendar import Calendar, Component
from icalendar.prop import vCalAddress

# A proposed new time (COUNTER) is an answer too: the person cannot confirm the time we set.
_METHODS = frozenset({"REPLY", "COUNTER"})
_ANSWERS = {"ACCEPTED": "accepted", "TENTATIVE": "tentative", "DECLINED": "declined"}
_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})
MAX_COMMENT = 2000


class Problem(StrEnum):
    """Why a message carries no answer we can use."""

    no_reply = "no_reply"
    malformed = "malformed"
    no_attendee = "no_attendee"
    no_answer = "no_answer"


@dataclass(frozen=True)
class Answer:
    """One attendee's answer to one event, as the REPLY states it."""

    uid: str
    sequence: int
    attendee: str  # the address, lower-cased, without "mailto:"
    answer: str  # accepted, tentative or declined
    comment: str | None


@dataclass(frozen=True)
class Reading:
    """The answers a message carries; when there are none, the problem that stopped us."""

    answers: tuple[Answer, ...]
    problem: Problem | None


def _calendar_parts(message: Message) -> list[str]:
    """Every calendar body of the message, as text: inline parts and .ics attachments alike."""
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in _CALENDAR_TYPES or filename.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                # Outlook may still write windows-1252; an unknown charset is read as UTF-8.
                charset = part.get_content_charset() or "utf-8"
                try:
                    text = payload.decode(charset, errors="replace")
                except LookupError:
                    text = payload.decode("utf-8", errors="replace")
                # NUL has no place in a calendar, and PostgreSQL refuses it in text.
                parts.append(text.replace("\x00", ""))
    return parts


def _address(value: object) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def _comment(event: Component, attendee: vCalAddress) -> str | None:
    """The note the person wrote: COMMENT (Outlook, Apple) or X-RESPONSE-COMMENT (Google)."""
    note = attendee.params.get("X-RESPONSE-COMMENT") or event.get("COMMENT")
    if isinstance(note, list):  # several COMMENT properties: keep them all
        note = "\n".join(str(n) for n in note)
    text = str(note).strip() if note else ""
    return text[:MAX_COMMENT] or None


def _answers(calendar: Calendar) -> tuple[list[Answer], Problem | None]:
    """The answers of one parsed calendar with a REPLY or COUNTER method."""
    found: list[Answer] = []
    saw_attendee = False
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            return [], Problem.malformed
        sequence = int(str(event.get("SEQUENCE", 0)))
        if sequence < 0:
            return [], Problem.malformed
        attendees = event.get("ATTENDEE")
        listed = attendees if isinstance(attendees, list) else [attendees] if attendees else []
        for attendee in listed:
            saw_attendee = True
            status = str(attendee.params.get("PARTSTAT", "")).upper()
            if calendar.get("METHOD", "").upper() == "COUNTER":
                status = "TENTATIVE"
            if status in _ANSWERS and "@" in _address(attendee):
                found.append(
                    Answer(
                        uid,
                        sequence,
                        _address(attendee),
                        _ANSWERS[status],
                        _comment(event, attendee),
                    )
                )
    if found:
        return found, None
    return [], Problem.no_answer if saw_attendee else Problem.no_attendee


def read(raw: bytes) -> Reading:
    """The answers in one email message, each once, or the problem that stopped us."""
    message = message_from_bytes(raw, policy=policy.compat32)
    parts = _calendar_parts(message)
    if not parts:
        return Reading((), Problem.no_reply)
    answers: list[Answer] = []
    problems: list[Problem] = []
    for body in parts:
        try:
            calendar = Calendar.from_ical(body)
            if str(calendar.get("METHOD", "")).upper() not in _METHODS:
                problems.append(Problem.no_reply)
                continue
            found, problem = _answers(calendar)
        except (ValueError, TypeError, KeyError, IndexError):
            problems.append(Problem.malformed)
            continue
        answers.extend(a for a in found if a not in answers)
        if problem is not None:
            problems.append(problem)
    if answers:
        return Reading(tuple(answers), None)
    # The most telling problem: a broken REPLY says more than a part that was no REPLY.
    order = [Problem.malformed, Problem.no_attendee, Problem.no_answer, Problem.no_reply]
    return Reading((), min(problems, key=order.index))
