"""Use cases for meetings: schedule, reschedule, postpone and cancel, each with its history."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.dates import DatePrecision, check_period_start
from models.errors import N_, DomainError, NotFound
from models.meetings import (
    OPEN_STATUSES,
    Meeting,
    MeetingChange,
    MeetingChangeKind,
    MeetingCreate,
    MeetingFormat,
    MeetingStatus,
)
from service import audit, groups
from service.audit import Actor

MAX_DURATION = timedelta(days=3)


def get(session: Session, *, meeting_id: int) -> Meeting:
    """Return the meeting with this id, or refuse with a clear message."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return meeting


def check_when(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    precision: DatePrecision,
    period_start: date | None,
) -> None:
    """Refuse a time slot that is incomplete, naive, reversed or fuzzy and exact at once."""
    if precision is DatePrecision.day:
        if starts_at is None or ends_at is None:
            raise DomainError(
                N_("A meeting on a known day needs a start and an end time."), field="starts_at"
            )
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise DomainError(N_("Times must carry their time zone."), field="starts_at")
        if ends_at <= starts_at:
            raise DomainError(N_("A meeting must end after it starts."), field="ends_at")
        if ends_at - starts_at > MAX_DURATION:
            raise DomainError(N_("A meeting cannot last longer than three days."), field="ends_at")
        return
    if starts_at is not None or ends_at is not None:
        raise DomainError(
            N_("A meeting whose day is not yet known cannot have exact times."), field="starts_at"
        )
    if period_start is None:
        raise DomainError(
            N_("Give the month or period the meeting moves to."), field="period_start"
        )
    check_period_start(period_start, precision)


def schedule(
    session: Session, *, meeting_in: MeetingCreate, actor: Actor, now: datetime
) -> Meeting:
    """Add a meeting to a group after checking its time slot and status."""
    group = groups.get_by_slug(session, slug=meeting_in.group)
    check_when(
        starts_at=meeting_in.starts_at,
        ends_at=meeting_in.ends_at,
        precision=meeting_in.date_precision,
        period_start=meeting_in.period_start,
    )
    if meeting_in.status in (MeetingStatus.postponed, MeetingStatus.cancelled) and not (
        meeting_in.status_reason and meeting_in.status_reason.strip()
    ):
        raise DomainError(
            N_("Give a reason for a postponement or a cancellation."), field="status_reason"
        )
    assert group.id is not None
    meeting = Meeting.model_validate(
        meeting_in.model_dump(exclude={"group"}),
        update={
            "group_id": group.id,
            "created_at": now,
            "updated_at": now,
            # Instants are kept in UTC, whatever zone they arrived in.
            "starts_at": meeting_in.starts_at.astimezone(UTC) if meeting_in.starts_at else None,
            "ends_at": meeting_in.ends_at.astimezone(UTC) if meeting_in.ends_at else None,
        },
    )
    audit.save(session, row=meeting, before=None, actor=actor, now=now)
    return meeting


def schedule_upcoming(
    session: Session, *, meeting_in: MeetingCreate, actor: Actor, now: datetime
) -> Meeting:
    """Schedule a meeting still to come (what people do; the demo loader also adds history)."""
    if meeting_in.starts_at is not None and meeting_in.starts_at <= now:
        raise DomainError(N_("A meeting cannot be planned in the past."), field="starts_at")
    return schedule(session, meeting_in=meeting_in, actor=actor, now=now)


def _change(
    session: Session,
    *,
    meeting: Meeting,
    kind: MeetingChangeKind,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> dict[str, object]:
    """Record the meeting as it was, bump its revision, and return the audit 'before'."""
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
    return before


def _require_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise DomainError(
            N_("Give a reason for a postponement or a cancellation."), field="status_reason"
        )
    return reason.strip()


def _require_open(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.held:
        raise DomainError(N_("This meeting has already been held."), field="status")
    if meeting.status is MeetingStatus.cancelled:
        raise DomainError(N_("This meeting has been cancelled."), field="status")


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
    """Move a meeting to a new exact time slot in the future."""
    meeting = get(session, meeting_id=meeting_id)
    _require_open(meeting)
    check_when(starts_at=starts_at, ends_at=ends_at, precision=DatePrecision.day, period_start=None)
    if starts_at <= now:
        raise DomainError(N_("A meeting cannot be moved into the past."), field="starts_at")
    before = _change(
        session,
        meeting=meeting,
        kind=MeetingChangeKind.rescheduled,
        reason=reason,
        actor=actor,
        now=now,
    )
    meeting.starts_at, meeting.ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    meeting.date_precision, meeting.period_start = DatePrecision.day, None
    if meeting.status is MeetingStatus.postponed:
        # Back to what it was before the postponement: a confirmed meeting stays confirmed.
        meeting.status, meeting.status_reason = _status_before_postponement(session, meeting), None
    audit.save(session, row=meeting, before=before, actor=actor, now=now)
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
    """Postpone a meeting to a period whose day is not known yet ("February 2026")."""
    meeting = get(session, meeting_id=meeting_id)
    _require_open(meeting)
    reason = _require_reason(reason)
    if precision is DatePrecision.day:
        raise DomainError(N_("To move a meeting to a known day, reschedule it."), field="precision")
    check_when(starts_at=None, ends_at=None, precision=precision, period_start=period_start)
    if period_start < now.date().replace(day=1):
        raise DomainError(N_("A meeting cannot be moved into the past."), field="period_start")
    before = _change(
        session,
        meeting=meeting,
        kind=MeetingChangeKind.postponed,
        reason=reason,
        actor=actor,
        now=now,
    )
    meeting.starts_at = meeting.ends_at = None
    meeting.date_precision, meeting.period_start = precision, period_start
    meeting.status, meeting.status_reason = MeetingStatus.postponed, reason
    audit.save(session, row=meeting, before=before, actor=actor, now=now)
    return meeting


def cancel(
    session: Session, *, meeting_id: int, reason: str, actor: Actor, now: datetime
) -> Meeting:
    """Cancel a meeting that has not been held, keeping it (and the reason) on record."""
    meeting = get(session, meeting_id=meeting_id)
    _require_open(meeting)
    reason = _require_reason(reason)
    before = _change(
        session,
        meeting=meeting,
        kind=MeetingChangeKind.cancelled,
        reason=reason,
        actor=actor,
        now=now,
    )
    meeting.status, meeting.status_reason = MeetingStatus.cancelled, reason
    audit.save(session, row=meeting, before=before, actor=actor, now=now)
    return meeting


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
) -> Meeting:
    """Change where a meeting takes place (room, online link, format).

    A new place is a change people must hear of, like a new time: the revision goes up, so
    calendars and invitations follow.
    """
    meeting = get(session, meeting_id=meeting_id)
    _require_open(meeting)
    location = (location or "").strip() or None
    join_url = (join_url or "").strip() or None
    if join_url is not None and not join_url.startswith(("https://", "http://")):
        raise DomainError(N_("An online link must start with https://."), field="join_url")
    if format is not MeetingFormat.online and location is None:
        raise DomainError(N_("Give the address of a meeting that is not online."), field="location")
    if (meeting.format, meeting.location, meeting.join_url) == (format, location, join_url):
        raise DomainError(N_("Nothing about the place has changed."), field="location")
    before = _change(
        session,
        meeting=meeting,
        kind=MeetingChangeKind.details,
        reason=(reason or "").strip() or None,
        actor=actor,
        now=now,
    )
    meeting.format, meeting.location, meeting.join_url = format, location, join_url
    audit.save(session, row=meeting, before=before, actor=actor, now=now)
    return meeting


def for_group(session: Session, *, group_id: int) -> list[Meeting]:
    """Return a group's meetings, dated ones in time order, undated ones last."""
    rows = session.exec(select(Meeting).where(Meeting.group_id == group_id)).all()
    return sorted(rows, key=sort_key)


def sort_key(meeting: Meeting) -> tuple[date, datetime, int]:
    """Order meetings by day (or the start of their period), then by time."""
    day = meeting.starts_at.date() if meeting.starts_at else meeting.period_start
    assert day is not None
    return (day, meeting.starts_at or datetime.max.replace(tzinfo=UTC), meeting.id or 0)


def record_flow_run(session: Session, *, meeting_id: int, flow_run_id: str) -> None:
    """Remember the last Prefect run started for a meeting, for the link to the Prefect UI.

    Not an audited change and no new revision: it records what ran, not what was decided.
    """
    session.execute(
        sa.update(Meeting).where(col(Meeting.id) == meeting_id).values(flow_run_id=flow_run_id)
    )
