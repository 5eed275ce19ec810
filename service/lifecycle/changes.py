"""Changing a meeting (time, postponement, cancellation, place) and what follows, in one go.

The call for input moves with a rescheduled meeting, so its reminders and deadline move too;
the questions sent for a cancelled meeting wait for the group's next one. Telling the members
(updated or cancelled invitations) is the lifecycle's job, which the app starts right away.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from models.agenda import Submission, SubmissionStatus
from models.dates import DatePrecision
from models.errors import N_, DomainError
from models.links import check_link
from models.meetings import (
    OPEN_STATUSES,
    Meeting,
    MeetingChange,
    MeetingChangeKind,
    MeetingFormat,
    MeetingStatus,
)
from service import audit
from service.agenda import calls
from service.audit import Actor
from service.followups import AdvanceMeeting, FollowUps
from service.meetings import meetings


def _told(meeting: Meeting, after: FollowUps | None) -> Meeting:
    """Ask for the meeting's steps to run at once, so members hear of the change now."""
    if after is not None:
        assert meeting.id is not None
        after.add(AdvanceMeeting(meeting.id, meeting.revision))
    return meeting


def reschedule(
    session: Session,
    *,
    meeting_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str | None,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> Meeting:
    """Move a meeting to a new exact slot in the future; its call's window follows."""
    with session.begin_nested():
        meeting = _open(session, meeting_id)
        meetings.check_when(
            starts_at=starts_at,
            ends_at=ends_at,
            precision=DatePrecision.day,
            period_start=None,
            now=now,
        )
        if starts_at <= now:
            raise DomainError(N_("A meeting cannot be moved into the past."), field="starts_at")
        with _changing(
            session, meeting, MeetingChangeKind.rescheduled, reason=reason, actor=actor, now=now
        ):
            meeting.starts_at, meeting.ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
            meeting.date_precision, meeting.period_start = DatePrecision.day, None
            if meeting.status is MeetingStatus.postponed:
                # Back to what it was before the postponement: a confirmed meeting stays confirmed.
                meeting.status = _status_before_postponement(session, meeting)
                meeting.status_reason = None
        calls.follow_meeting(session, meeting=meeting, actor=actor, now=now)
    return _told(meeting, after)


def postpone(
    session: Session,
    *,
    meeting_id: int,
    period_start: date,
    precision: DatePrecision,
    reason: str,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> Meeting:
    """Postpone a meeting to a period whose day is not known yet ("February 2026").

    A call keeps collecting until its deadline.
    """
    meeting = _open(session, meeting_id)
    reason = _require_reason(reason)
    if precision is DatePrecision.day:
        raise DomainError(N_("To move a meeting to a known day, reschedule it."), field="precision")
    meetings.check_when(
        starts_at=None, ends_at=None, precision=precision, period_start=period_start, now=now
    )
    if period_start < now.date().replace(day=1):
        raise DomainError(N_("A meeting cannot be moved into the past."), field="period_start")
    with _changing(
        session, meeting, MeetingChangeKind.postponed, reason=reason, actor=actor, now=now
    ):
        meeting.starts_at = meeting.ends_at = None
        meeting.date_precision, meeting.period_start = precision, period_start
        meeting.status, meeting.status_reason = MeetingStatus.postponed, reason
    return _told(meeting, after)


def cancel(
    session: Session,
    *,
    meeting_id: int,
    reason: str,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> Meeting:
    """Cancel a meeting that has not been held, keeping it (and the reason) on record.

    Its call closes and its questions move to the group's next meeting.
    """
    with session.begin_nested():
        meeting = _open(session, meeting_id)
        reason = _require_reason(reason)
        with _changing(
            session, meeting, MeetingChangeKind.cancelled, reason=reason, actor=actor, now=now
        ):
            meeting.status, meeting.status_reason = MeetingStatus.cancelled, reason
        call = calls.for_meeting(session, meeting_id=meeting_id)
        if call is not None and call.id is not None:
            calls.call_off(session, call_id=call.id, actor=actor, now=now)
            _park_questions(session, call_id=call.id, meeting=meeting, actor=actor, now=now)
    return _told(meeting, after)


@contextmanager
def _changing(
    session: Session,
    meeting: Meeting,
    kind: MeetingChangeKind,
    *,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Iterator[None]:
    """Record the meeting as it was and bump its revision; audit the change made inside."""
    before = audit.snapshot(meeting)
    assert meeting.id is not None
    session.add(
        MeetingChange(
            meeting_id=meeting.id,
            revision=meeting.revision + 1,
            kind=kind,
            changed_at=now,
            changed_by_id=actor.person_id,
            reason=reason,
            old_starts_at=meeting.starts_at,
            old_ends_at=meeting.ends_at,
            old_date_precision=meeting.date_precision,
            old_period_start=meeting.period_start,
            old_status=meeting.status,
        )
    )
    meeting.revision += 1
    meeting.updated_at = now
    yield
    audit.save(session, row=meeting, before=before, actor=actor, now=now)


def _require_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise DomainError(
            N_("Give a reason for a postponement or a cancellation."), field="status_reason"
        )
    return reason.strip()


def _open(session: Session, meeting_id: int) -> Meeting:
    """The meeting, refused when it has been held or cancelled."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.status is MeetingStatus.held:
        raise DomainError(N_("This meeting has already been held."), field="status")
    if meeting.status is MeetingStatus.cancelled:
        raise DomainError(N_("This meeting has been cancelled."), field="status")
    return meeting


def _status_before_postponement(session: Session, meeting: Meeting) -> MeetingStatus:
    last = session.exec(
        select(MeetingChange)
        .where(
            MeetingChange.meeting_id == meeting.id,
            MeetingChange.kind == MeetingChangeKind.postponed,
        )
        .order_by(col(MeetingChange.revision).desc())
    ).first()
    if last is not None and last.old_status in OPEN_STATUSES:
        return last.old_status
    return MeetingStatus.planned


def change_place(
    session: Session,
    *,
    meeting_id: int,
    format: MeetingFormat,
    location: str | None,
    join_url: str | None,
    reason: str | None,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> Meeting:
    """Change where a meeting takes place (room, online link, format).

    A new place is a change people must hear of, like a new time: the revision goes up, so
    calendars and invitations follow.
    """
    meeting = _open(session, meeting_id)
    location = (location or "").strip() or None
    join_url = (join_url or "").strip() or None
    if join_url is not None:
        check_link(join_url, field="join_url")
    if format is not MeetingFormat.online and location is None:
        raise DomainError(N_("Give the address of a meeting that is not online."), field="location")
    if (meeting.format, meeting.location, meeting.join_url) == (format, location, join_url):
        raise DomainError(N_("Nothing about the place has changed."), field="location")
    with _changing(
        session,
        meeting,
        MeetingChangeKind.details,
        reason=(reason or "").strip() or None,
        actor=actor,
        now=now,
    ):
        meeting.format, meeting.location, meeting.join_url = format, location, join_url
    return _told(meeting, after)


def _park_questions(
    session: Session, *, call_id: int, meeting: Meeting, actor: Actor, now: datetime
) -> None:
    following = meetings.next_meeting(session, meeting=meeting, now=now)
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
