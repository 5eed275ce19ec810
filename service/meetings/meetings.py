"""Meetings: scheduling one, reading them, and the order they come in.

Changing a meeting (a new time, a postponement, a cancellation, a new place) is
service/lifecycle/changes.py's job, because what follows from a change reaches beyond the meeting.
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.dates import DatePrecision, check_period_start, check_window
from models.errors import N_, DomainError, NotFound
from models.links import check_link
from models.meetings import (
    OPEN_STATUSES,
    Meeting,
    MeetingCreate,
    MeetingStatus,
)
from service import audit, db
from service.audit import Actor
from service.directory import groups
from service.followups import AdvanceMeeting, FollowUps
from service.paging import Paging

MAX_DURATION = timedelta(days=3)


def get(session: Session, *, meeting_id: int) -> Meeting:
    """Return the meeting with this id, or refuse with a clear message."""
    return db.get_or_refuse(
        session, Meeting, meeting_id, N_("Unknown meeting: %(id)s."), field="meeting"
    )


def in_group(session: Session, *, slug: str, meeting_id: int) -> Meeting:
    """The meeting, refused as unknown when it belongs to another group (or none)."""
    group = groups.get_by_slug(session, slug=slug)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.group_id != group.id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return meeting


def check_when(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    precision: DatePrecision,
    period_start: date | None,
    now: datetime,
) -> None:
    """Refuse a time slot that is incomplete, naive, reversed, fuzzy and exact at once, or
    outside the window of dates a person may name."""
    if precision is DatePrecision.day:
        if starts_at is None or ends_at is None:
            raise DomainError(
                N_("A meeting on a known day needs a start and an end time."), field="starts_at"
            )
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise DomainError(N_("Times must carry their time zone."), field="starts_at")
        check_window(starts_at, now=now.date(), field="starts_at")
        check_window(ends_at, now=now.date(), field="ends_at")
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
    check_window(period_start, now=now.date(), field="period_start")
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
        now=now,
    )
    if meeting_in.join_url is not None:
        check_link(meeting_in.join_url, field="join_url")
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
    return audit.created(session, meeting, actor=actor, now=now)


def schedule_upcoming(
    session: Session,
    *,
    meeting_in: MeetingCreate,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> Meeting:
    """Schedule a meeting still to come (what people do; the demo loader also adds history).

    Its steps (a call opening soon, invitations) are asked to run at once.
    """
    if meeting_in.starts_at is not None and meeting_in.starts_at <= now:
        raise DomainError(N_("A meeting cannot be planned in the past."), field="starts_at")
    groups.check_plans(groups.get_by_slug(session, slug=meeting_in.group))
    meeting = schedule(session, meeting_in=meeting_in, actor=actor, now=now)
    if after is not None:
        assert meeting.id is not None
        after.add(AdvanceMeeting(meeting.id, meeting.revision))
    return meeting


def for_group(session: Session, *, group_id: int) -> list[Meeting]:
    """Return a group's meetings, dated ones in time order, undated ones last."""
    rows = session.exec(select(Meeting).where(Meeting.group_id == group_id)).all()
    return sorted(rows, key=sort_key)


def sort_key(meeting: Meeting) -> tuple[date, datetime, int]:
    """Order meetings by day (or the start of their period), then by time."""
    return _key(meeting.starts_at, meeting.period_start, meeting.id or 0)


def _key(
    starts_at: datetime | None, period_start: date | None, meeting_id: int
) -> tuple[date, datetime, int]:
    day = starts_at.date() if starts_at else period_start
    assert day is not None
    return (day, starts_at or datetime.max.replace(tzinfo=UTC), meeting_id)


def page_for_group(
    session: Session, *, group_id: int, now: datetime, number: int | None, size: int
) -> tuple[list[Meeting], Paging]:
    """A page of a group's meetings in `for_group`'s order; without a number, the next one's page.

    Only the dates of the group's meetings are read to place them (a group's own history, which
    does not grow with the organisation), then the page's meetings themselves.
    """
    keys = sorted(
        _key(starts_at, period_start, meeting_id)
        for meeting_id, starts_at, period_start in session.execute(
            sa.select(col(Meeting.id), col(Meeting.starts_at), col(Meeting.period_start)).where(
                col(Meeting.group_id) == group_id
            )
        )
    )
    if number is None:
        # The page of the first meeting from today on (or the last page): what is to come.
        coming = next((i for i, key in enumerate(keys) if key[0] >= now.date()), len(keys) - 1)
        number = max(0, coming) // size + 1
    paging = Paging(number=number, size=size, total=len(keys))
    ids = [key[2] for key in keys[paging.offset : paging.offset + size]]
    found = {m.id: m for m in session.exec(select(Meeting).where(col(Meeting.id).in_(ids)))}
    return [found[i] for i in ids], paging


def next_meeting(session: Session, *, meeting: Meeting, now: datetime) -> Meeting | None:
    """The group's next meeting after this one (and still to come), other than this one.

    After this one, not merely after today: an extra meeting planned in between must not
    receive what was meant for the meeting after.
    """
    candidates = session.exec(
        select(Meeting).where(
            Meeting.group_id == meeting.group_id,
            Meeting.id != meeting.id,
            col(Meeting.status).in_([*OPEN_STATUSES, MeetingStatus.postponed]),
        )
    )
    after = max(now, meeting.starts_at) if meeting.starts_at is not None else now
    upcoming = [m for m in candidates if m.starts_at is None or m.starts_at > after]
    return min(upcoming, key=sort_key, default=None)


def record_flow_run(session: Session, *, meeting_id: int, flow_run_id: str) -> None:
    """Remember the last Prefect run started for a meeting, for the link to the Prefect UI.

    Not an audited change and no new revision: it records what ran, not what was decided.
    """
    session.execute(
        sa.update(Meeting).where(col(Meeting.id) == meeting_id).values(flow_run_id=flow_run_id)
    )
