"""The mailbox messages left for a person, with why, for the secretariat's page."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting
from models.replies import MessageOutcome, ReplyMessage, UnmatchedReason


@dataclass(frozen=True)
class Left:
    """One message left in the mailbox: where to find it, when it came, and why."""

    id: int
    folder: str
    imap_uid: int
    received_at: datetime
    reason: UnmatchedReason | None
    meeting_id: int | None
    meeting_title: str | None
    group_slug: str | None


def listed(session: Session, *, limit: int = 200) -> list[Left]:
    """The latest messages left for a person, newest first."""
    rows = session.exec(
        select(ReplyMessage, Meeting, WorkingGroup)
        .join(Meeting, col(Meeting.id) == ReplyMessage.meeting_id, isouter=True)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id, isouter=True)
        .where(ReplyMessage.outcome == MessageOutcome.unmatched)
        .order_by(col(ReplyMessage.received_at).desc(), col(ReplyMessage.id).desc())
        .limit(limit)
    )
    return [
        Left(
            id=message.id or 0,
            folder=message.folder,
            imap_uid=message.imap_uid,
            received_at=message.received_at,
            reason=message.reason,
            meeting_id=message.meeting_id,
            meeting_title=meeting.title if meeting else None,
            group_slug=group.slug if group else None,
        )
        for message, meeting, group in rows
    ]
