"""Answers to invitations (accepted, tentative, declined) and the mailbox messages read for them."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type


class ReplyAnswer(StrEnum):
    """What a person answered; the iTIP PARTSTAT values a REPLY may carry, lower-cased."""

    accepted = "accepted"
    tentative = "tentative"
    declined = "declined"


class ReplySource(StrEnum):
    """Where an answer came from: a calendar client's iTIP REPLY, or an answer link."""

    calendar = "calendar"
    link = "link"


class AttendMode(StrEnum):
    """How a person who comes will attend, when they said so through an answer link."""

    in_person = "in_person"
    online = "online"


class AnswerChoice(StrEnum):
    """The four answers an answer link offers; kept as an answer, a mode and a stand-in."""

    in_person = "in_person"
    online = "online"
    declined = "declined"
    stand_in = "stand_in"


class MessageOutcome(StrEnum):
    """What reading a mailbox message did: an answer recorded, or left for a person."""

    recorded = "recorded"
    unmatched = "unmatched"


class UnmatchedReason(StrEnum):
    """Why a message was left for a person; the secretariat's page shows each in words."""

    too_large = "too_large"
    no_reply = "no_reply"
    malformed = "malformed"
    no_attendee = "no_attendee"
    unknown_meeting = "unknown_meeting"
    unknown_person = "unknown_person"
    not_invited = "not_invited"
    meeting_cancelled = "meeting_cancelled"
    meeting_started = "meeting_started"
    day_changed = "day_changed"
    future_sequence = "future_sequence"
    no_answer = "no_answer"


# Database table: one row per mailbox message read, so no message is processed twice
class ReplyMessage(SQLModel, table=True):
    __tablename__ = "reply_message"
    __table_args__ = (sa.UniqueConstraint("digest"),)

    id: int | None = Field(default=None, primary_key=True)
    # SHA-256 of the Message-ID (of the whole message when it has none): the message's identity
    # across folders and runs, without keeping a header that may name a person.
    digest: str = Field(max_length=64)
    folder: str = Field(max_length=200)
    imap_uid: int = Field(ge=0)
    received_at: datetime = Field(sa_type=UtcDateTime)
    processed_at: datetime = Field(sa_type=UtcDateTime)
    outcome: MessageOutcome = Field(sa_type=enum_type(MessageOutcome))
    reason: UnmatchedReason | None = Field(default=None, sa_type=enum_type(UnmatchedReason))
    # The meeting the message named, when it named one we know.
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)


# Database table: every answer ever given; the newest that counts is the person's answer
class MeetingReply(SQLModel, table=True):
    __tablename__ = "meeting_reply"
    __table_args__ = (
        sa.Index("ix_meeting_reply_meeting_person", "meeting_id", "person_id"),
        sa.CheckConstraint("sequence >= 0", name="sequence_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    # Null once the person has been erased; the organisation keeps the count right.
    person_id: int | None = Field(default=None, foreign_key="person.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    answer: ReplyAnswer = Field(sa_type=enum_type(ReplyAnswer))
    comment: str | None = Field(default=None, max_length=2000)
    # The revision of the meeting the answer was given to (iTIP SEQUENCE).
    sequence: int = Field(ge=0)
    # False for an answer to an earlier revision whose day has changed since.
    counts: bool = True
    # In person or online, for "I come" given through an answer link; None otherwise.
    mode: AttendMode | None = Field(default=None, sa_type=enum_type(AttendMode))
    # The colleague who goes instead ("I send a stand-in"); the answer itself is "declined".
    stand_in_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    source: ReplySource = Field(sa_type=enum_type(ReplySource))
    message_id: int | None = Field(default=None, foreign_key="reply_message.id")
    received_at: datetime = Field(sa_type=UtcDateTime)
    recorded_at: datetime = Field(sa_type=UtcDateTime)
