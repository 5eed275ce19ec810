"""Changing a meeting and what follows from it in the same transaction.

The call for input moves with a rescheduled meeting, so its reminders and deadline move too;
the questions sent for a cancelled meeting wait for the group's next one. Telling the members
(updated or cancelled invitations) is the lifecycle's job, which the app starts right away.
"""

from datetime import date, datetime

from sqlmodel import Session, col, select

from models.agenda import Submission, SubmissionStatus
from models.dates import DatePrecision
from models.meetings import OPEN_STATUSES, Meeting, MeetingStatus
from service import audit, calls, meetings
from service.audit import Actor


def reschedule(
    session: Session,
    *,
    meeting_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Meeting:
    """Move a meeting to a new slot; its call's window follows."""
    with session.begin_nested():
        meeting = meetings.reschedule(
            session,
            meeting_id=meeting_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            actor=actor,
            now=now,
        )
        calls.follow_meeting(session, meeting=meeting, actor=actor, now=now)
    return meeting


def postpone(
    session: Session,
    *,
    meeting_id: int,
    period_start: date,
    precision: DatePrecision,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Meeting:
    """Postpone a meeting to a period; a call keeps collecting until its deadline."""
    return meetings.postpone(
        session,
        meeting_id=meeting_id,
        period_start=period_start,
        precision=precision,
        reason=reason,
        actor=actor,
        now=now,
    )


def cancel(
    session: Session, *, meeting_id: int, reason: str, actor: Actor, now: datetime
) -> Meeting:
    """Cancel a meeting; its call closes and its questions move to the group's next meeting."""
    with session.begin_nested():
        meeting = meetings.cancel(
            session, meeting_id=meeting_id, reason=reason, actor=actor, now=now
        )
        call = calls.for_meeting(session, meeting_id=meeting_id)
        if call is not None and call.id is not None:
            calls.call_off(session, call_id=call.id, actor=actor, now=now)
            _park_questions(session, call_id=call.id, meeting=meeting, actor=actor, now=now)
    return meeting


def next_meeting(session: Session, *, meeting: Meeting, now: datetime) -> Meeting | None:
    """The group's next meeting still to come, other than this one."""
    candidates = session.exec(
        select(Meeting).where(
            Meeting.group_id == meeting.group_id,
            Meeting.id != meeting.id,
            col(Meeting.status).in_([*OPEN_STATUSES, MeetingStatus.postponed]),
        )
    )
    upcoming = [m for m in candidates if m.starts_at is None or m.starts_at > now]
    return min(upcoming, key=meetings.sort_key, default=None)


def _park_questions(
    session: Session, *, call_id: int, meeting: Meeting, actor: Actor, now: datetime
) -> None:
    following = next_meeting(session, meeting=meeting, now=now)
    if following is None:
        return  # nothing to move them to: they stay, active, on the closed call
    active = session.exec(
        select(Submission).where(
            Submission.call_id == call_id, Submission.status == SubmissionStatus.active
        )
    )
    for submission in active:
        before = audit.snapshot(submission)
        submission.status = SubmissionStatus.parked
        submission.parked_for_meeting_id = following.id
        submission.updated_at = now
        audit.save(session, row=submission, before=before, actor=actor, now=now)
