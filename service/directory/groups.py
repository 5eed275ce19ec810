"""Use cases for programmes and working groups."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from dateutil.rrule import rrulestr
from sqlmodel import Session, col, select

from models.base import fixed
from models.dates import DatePrecision, period_end
from models.errors import N_, DomainError
from models.groups import GroupStatus, GroupTheme, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingStatus
from models.programmes import Programme, ProgrammeCreate
from service import audit
from service.audit import Actor
from service.directory import codes
from service.paging import Paging

GROUP_CODE_TAKEN = N_("A working group with the code %(slug)s already exists.")


def get_by_slug(session: Session, *, slug: str) -> WorkingGroup:
    """Return the working group with this slug, or refuse with a clear message."""
    return codes.get_or_refuse(
        session, WorkingGroup, slug, N_("Unknown working group: %(slug)s."), field="group"
    )


def get_programme_by_slug(session: Session, *, slug: str) -> Programme:
    """Return the programme with this slug, or refuse with a clear message."""
    return codes.get_or_refuse(
        session, Programme, slug, N_("Unknown programme: %(slug)s."), field="programme"
    )


def check_plans(group: WorkingGroup) -> None:
    """Refuse to plan meetings for an archived group."""
    if group.status is GroupStatus.closed:
        raise DomainError(
            N_("%(name)s is archived: it plans no more meetings."), field="group", name=group.name
        )


def list_all(session: Session) -> list[WorkingGroup]:
    """Return every group, ordered by short name."""
    return list(session.exec(select(WorkingGroup).order_by(WorkingGroup.short_name)))


def list_programmes(session: Session) -> list[Programme]:
    """Every programme, by name."""
    return list(session.exec(select(Programme).order_by(Programme.name)))


def programme_slug(session: Session, group: WorkingGroup) -> str | None:
    """The code of the group's programme, if it has one."""
    programme = session.get(Programme, group.programme_id) if group.programme_id else None
    return programme.slug if programme else None


def check_cadence(rule: str) -> None:
    """Refuse an RRULE that does not parse or that leaves out its frequency."""
    if "FREQ=" not in rule.upper():
        raise DomainError(N_("A cadence rule needs a frequency (FREQ=...)."), field="cadence")
    try:
        rrulestr(rule)
    except (ValueError, TypeError) as error:
        raise DomainError(
            N_("The cadence rule is not valid: %(detail)s"), field="cadence", detail=str(error)
        ) from error


def create_programme(
    session: Session, *, programme_in: ProgrammeCreate, actor: Actor, now: datetime
) -> Programme:
    """Add a programme; its slug must be new."""
    codes.refuse_taken(
        session,
        Programme,
        programme_in.slug,
        N_("A programme with the code %(slug)s already exists."),
    )
    programme = Programme.model_validate(programme_in)
    return audit.created(session, programme, actor=actor, now=now)


def create(
    session: Session, *, group_in: WorkingGroupCreate, actor: Actor, now: datetime
) -> WorkingGroup:
    """Add a working group under an optional programme and parent group."""
    codes.refuse_taken(session, WorkingGroup, group_in.slug, GROUP_CODE_TAKEN)
    if group_in.cadence_rrule:
        check_cadence(group_in.cadence_rrule)
    if group_in.call_closes_days_before >= group_in.call_opens_days_before:
        raise DomainError(
            N_("A call for input must open before it closes."), field="call_closes_days_before"
        )
    programme_id = (
        get_programme_by_slug(session, slug=group_in.programme).id if group_in.programme else None
    )
    parent_id = get_by_slug(session, slug=group_in.parent).id if group_in.parent else None
    group = WorkingGroup.model_validate(
        group_in.model_dump(exclude={"programme", "parent"}),
        update={"programme_id": programme_id, "parent_id": parent_id},
    )
    return audit.created(session, group, actor=actor, now=now)


def set_theme(
    session: Session, *, group_id: int, year: int, theme: str, actor: Actor, now: datetime
) -> GroupTheme:
    """Set (or replace) the theme a group works on in a year."""
    row = session.exec(
        select(GroupTheme).where(GroupTheme.group_id == group_id, GroupTheme.year == year)
    ).first()
    before = audit.snapshot(row) if row else None
    if row is None:
        row = GroupTheme(group_id=group_id, year=year, theme=theme)
    row.theme = theme.strip()
    audit.save(session, row=row, before=before, actor=actor, now=now)
    return row


@dataclass(frozen=True)
class NextMeeting:
    """A group's next meeting as the overviews show it: when, or the period it moved to."""

    id: int
    group_id: int
    starts_at: datetime | None
    period_start: date | None
    date_precision: DatePrecision


@dataclass(frozen=True)
class GroupOverview:
    """One line of the groups overview."""

    group: WorkingGroup
    theme: str | None
    next_meeting: NextMeeting | None


def overview(session: Session, *, now: datetime) -> list[GroupOverview]:
    """Every group that is not closed, with this year's theme and its next meeting."""
    return overview_page(session, now=now, paging=None)[0]


def overview_page(
    session: Session, *, now: datetime, paging: Paging | None
) -> tuple[list[GroupOverview], Paging]:
    """One page of the groups that are not closed (all when `paging` is None), by short name.

    The total of the answer's paging is counted here (the one asked for may say 0).

    Only the page's groups are read, with their themes and next meetings: the cost is the
    page's, not the organisation's.
    """
    open_groups = col(WorkingGroup.status) != GroupStatus.closed
    total = session.exec(select(sa.func.count()).select_from(WorkingGroup).where(open_groups)).one()
    # Each group with this year's theme (one at most per group and year) in the same statement.
    this_year = sa.and_(
        col(GroupTheme.group_id) == WorkingGroup.id, col(GroupTheme.year) == now.year
    )
    order = (col(WorkingGroup.short_name), col(WorkingGroup.id))
    query = (
        select(WorkingGroup, col(GroupTheme.theme))
        .outerjoin(GroupTheme, this_year)
        .where(open_groups)
        .order_by(*order)
    )
    # The page's groups for the next meetings as a subquery, not a list of their ids: a
    # hundred bound ids made a statement too long for psycopg to keep converted.
    page: sa.Select[Any] | None = None
    if paging is not None:
        query = query.offset(paging.offset).limit(paging.size)
        page = (
            sa.select(col(WorkingGroup.id))
            .where(open_groups)
            .order_by(*order)
            .offset(paging.offset)
            .limit(paging.size)
        )
    shown = list(session.exec(query))
    upcoming = next_meetings(session, now=now, group_ids=page)
    lines = [
        GroupOverview(group=g, theme=theme, next_meeting=upcoming.get(g.id or 0))
        for g, theme in shown
    ]
    if paging is None:
        return lines, Paging(number=1, size=max(1, total), total=total)
    return lines, Paging(number=paging.number, size=paging.size, total=total)


def next_meetings(
    session: Session, *, now: datetime, group_ids: list[int] | sa.Select[Any] | None
) -> dict[int, NextMeeting]:
    """The next meeting (to come, or postponed to a period not over) of these groups (None: all).

    The groups are a list of ids or a statement that selects them.
    """
    upcoming: dict[int, NextMeeting] = {}
    open_statuses = (MeetingStatus.planned, MeetingStatus.confirmed, MeetingStatus.postponed)
    # Written into the statement: the open meetings' index (group, start) is partial.
    chosen = [col(Meeting.status).in_([fixed(status) for status in open_statuses])]
    if group_ids is not None:
        chosen.append(col(Meeting.group_id).in_(group_ids))
    names = ("id", "group_id", "starts_at", "period_start", "date_precision")
    shown = [getattr(Meeting, name) for name in names]
    # Of the meetings to come with a day, only each group's first is read (not the months of
    # meetings planned ahead); the few postponed to a period are read and weighed here. Only
    # the columns shown: no meeting is built as an ORM object.
    ranked = (
        sa.select(
            *shown,
            sa.func.row_number()
            .over(
                partition_by=col(Meeting.group_id),
                order_by=(col(Meeting.starts_at), col(Meeting.id)),
            )
            .label("rank"),
        )
        .where(*chosen, col(Meeting.starts_at) >= now)
        .subquery()
    )
    first = sa.select(*(ranked.c[name] for name in names)).where(ranked.c.rank == 1)
    postponed = sa.select(*shown).where(*chosen, col(Meeting.starts_at).is_(None))
    # A union of the two (an OR of them would be a scan of every meeting).
    for row in session.execute(sa.union_all(first, postponed)):
        meeting = NextMeeting(
            id=row[0],
            group_id=row[1],
            starts_at=row[2],
            period_start=row[3],
            date_precision=DatePrecision(row[4]),
        )
        if meeting.period_start is not None and (
            period_end(meeting.period_start, meeting.date_precision) < now.date()
        ):
            continue  # postponed to a period that has passed: not "next" any more
        current = upcoming.get(meeting.group_id)
        if current is None or _when(meeting) < _when(current):
            upcoming[meeting.group_id] = meeting
    return upcoming


def _when(meeting: NextMeeting) -> datetime:
    if meeting.starts_at is not None:
        return meeting.starts_at
    assert meeting.period_start is not None
    return datetime.combine(meeting.period_start, datetime.min.time(), tzinfo=UTC)
