"""Match the answers of one mailbox message to meetings and people, and record them once.

A message is known by the digest of its Message-ID: a message read before (in any folder, by a
run that crashed before it could flag it) is never recorded again. A stand-in's answer counts
for the meeting they stand in for (they were sent its invitation). A message that names no
meeting, no person, or a meeting that cannot be answered any more is kept with its reason,
for the secretariat to look at; the message itself stays in the mailbox.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser

from sqlmodel import Session, select

from calendars import replies as itip
from models.meetings import Meeting, MeetingStatus
from models.people import Person
from models.replies import (
    MessageOutcome,
    ReplyAnswer,
    ReplyMessage,
    ReplySource,
    UnmatchedReason,
)
from service import audit
from service.audit import Actor
from service.clock import local_today
from service.directory import memberships
from service.feeds.calendar_events import meeting_uid
from service.replies import answers, stand_ins
from service.settings import Settings

ACTOR = Actor.system("read-replies")
_MEETING_UID = re.compile(r"^meeting-(\d{1,9})@")
_GONE = (MeetingStatus.cancelled, MeetingStatus.postponed)


@dataclass(frozen=True)
class Fetched:
    """One message as the mailbox gave it; `raw` is None when it was too large to fetch."""

    folder: str
    imap_uid: int
    digest: str
    received_at: datetime
    raw: bytes | None


def digest(headers: bytes, raw: bytes | None = None) -> str:
    """The message's identity: SHA-256 of its Message-ID, else of the headers and body."""
    message_id = BytesHeaderParser().parsebytes(headers).get("Message-ID", "").strip()
    basis = message_id.encode() if message_id else headers + (raw or b"")
    return hashlib.sha256(basis).hexdigest()


def known(session: Session, *, digest: str) -> ReplyMessage | None:
    """The record of a message read before, if any."""
    return session.exec(select(ReplyMessage).where(ReplyMessage.digest == digest)).first()


def _meeting(session: Session, uid: str, settings: Settings) -> Meeting | None:
    found = _MEETING_UID.match(uid)
    if found is None:
        return None
    meeting = session.get(Meeting, int(found.group(1)))
    if meeting is None or meeting_uid(int(found.group(1)), settings) != uid:
        return None  # another host's meeting-N: not one of ours
    return meeting


def _person(session: Session, address: str) -> Person | None:
    return session.exec(
        select(Person).where(Person.email == address, Person.erased_at == None)  # noqa: E711
    ).first()


def _refusal(
    meeting: Meeting, answer: itip.Answer, received_at: datetime
) -> UnmatchedReason | None:
    """Why this meeting cannot take the answer any more, if it cannot."""
    if meeting.status in _GONE or meeting.starts_at is None:
        return UnmatchedReason.meeting_cancelled
    if meeting.status is MeetingStatus.held or meeting.starts_at <= received_at:
        return UnmatchedReason.meeting_started
    if answer.sequence > meeting.revision:
        return UnmatchedReason.future_sequence
    return None


def _one(
    session: Session, message: ReplyMessage, answer: itip.Answer, settings: Settings, now: datetime
) -> UnmatchedReason | None:
    """Record one answer; return why it does not count, or None when it does."""
    meeting = _meeting(session, answer.uid, settings)
    if meeting is None:
        return UnmatchedReason.unknown_meeting
    message.meeting_id = meeting.id
    refusal = _refusal(meeting, answer, message.received_at)
    if refusal is not None:
        return refusal
    person = _person(session, answer.attendee)
    if person is None or person.id is None:
        return UnmatchedReason.unknown_person
    assert meeting.starts_at is not None
    day = local_today(meeting.starts_at)
    # A stand-in was sent this meeting's invitation: their calendar answers it too.
    if not memberships.is_member(
        session, person_id=person.id, group_id=meeting.group_id, on=day
    ) and not stand_ins.is_stand_in(session, meeting=meeting, person=person):
        return UnmatchedReason.not_invited
    row = answers.record(
        session,
        meeting=meeting,
        person=person,
        answer=ReplyAnswer(answer.answer),
        comment=answer.comment,
        sequence=answer.sequence,
        source=ReplySource.calendar,
        received_at=message.received_at,
        message_id=message.id,
        now=now,
    )
    return None if row.counts else UnmatchedReason.day_changed


def process(
    session: Session, fetched: Fetched, *, settings: Settings, now: datetime
) -> ReplyMessage:
    """Read one message and record its answers, unless it was read before; return its record."""
    earlier = known(session, digest=fetched.digest)
    if earlier is not None:
        return earlier
    message = ReplyMessage(
        digest=fetched.digest,
        folder=fetched.folder,
        imap_uid=fetched.imap_uid,
        received_at=fetched.received_at,
        processed_at=now,
        outcome=MessageOutcome.recorded,
    )
    session.add(message)
    session.flush()
    reasons = _reasons(session, message, fetched.raw, settings, now)
    if reasons:
        message.outcome, message.reason = MessageOutcome.unmatched, reasons[0]
    audit.save(session, row=message, before=None, actor=ACTOR, now=now)
    return message


def _reasons(
    session: Session, message: ReplyMessage, raw: bytes | None, settings: Settings, now: datetime
) -> list[UnmatchedReason]:
    if raw is None:
        return [UnmatchedReason.too_large]
    reading = itip.read(raw)
    if reading.problem is not None:
        return [UnmatchedReason(reading.problem.value)]
    found = [_one(session, message, answer, settings, now) for answer in reading.answers]
    return [reason for reason in found if reason is not None]
