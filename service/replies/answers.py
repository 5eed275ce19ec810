"""Record one person's answer to a meeting; every answer stays, the newest that counts is theirs.

An answer to an earlier revision (iTIP SEQUENCE) of the meeting counts only when the meeting
is still on the same day (Europe/Brussels) as it was at that revision: a new hour or place
keeps "I come" meaningful, a new day does not. The day at revision s is the old start kept by
the change that made revision s + 1; when that is not known, the answer does not count.
"""

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.meetings import Meeting, MeetingChange
from models.people import Person
from models.replies import AttendMode, MeetingReply, ReplyAnswer, ReplySource
from service import audit
from service.audit import Actor
from service.clock import local_today


def _day(instant: datetime | None) -> date | None:
    return local_today(instant) if instant is not None else None


def day_kept(session: Session, *, meeting: Meeting, sequence: int) -> bool:
    """Whether the meeting is on the same day now as at revision `sequence`."""
    if sequence >= meeting.revision:
        return True
    change = session.exec(
        select(MeetingChange).where(
            MeetingChange.meeting_id == meeting.id, MeetingChange.revision == sequence + 1
        )
    ).first()
    then = _day(change.old_starts_at) if change is not None else None
    return then is not None and then == _day(meeting.starts_at)


def record(
    session: Session,
    *,
    meeting: Meeting,
    person: Person,
    answer: ReplyAnswer,
    comment: str | None,
    sequence: int,
    source: ReplySource,
    received_at: datetime,
    message_id: int | None,
    now: datetime,
    mode: AttendMode | None = None,
    stand_in_id: int | None = None,
) -> MeetingReply:
    """Add an answer (audited, as the person's own act) and return it."""
    assert meeting.id is not None and person.id is not None
    row = MeetingReply(
        meeting_id=meeting.id,
        person_id=person.id,
        organisation_id=person.organisation_id,
        answer=answer,
        comment=comment,
        sequence=sequence,
        counts=day_kept(session, meeting=meeting, sequence=sequence),
        mode=mode,
        stand_in_id=stand_in_id,
        source=source,
        message_id=message_id,
        received_at=received_at,
        recorded_at=now,
    )
    audit.save(session, row=row, before=None, actor=Actor.of(person), now=now)
    return row


def latest(session: Session, *, meeting_id: int) -> dict[int, MeetingReply]:
    """Each person's answer that counts: the newest received, by person id."""
    rows: Sequence[MeetingReply] = session.exec(
        select(MeetingReply)
        .where(MeetingReply.meeting_id == meeting_id, col(MeetingReply.counts))
        .order_by(col(MeetingReply.received_at), col(MeetingReply.id))
    ).all()
    return {row.person_id: row for row in rows if row.person_id is not None}
