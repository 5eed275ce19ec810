"""Use cases for programmes and working groups."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from dateutil.rrule import rrulestr
from sqlmodel import Session, col, select

from models.dates import period_end
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
class GroupOverview:
    """One line of the groups overview."""

    group: WorkingGroup
    theme: str | None
    next_meeting: Meeting | None


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
    query = (
        select(WorkingGroup)
        .where(open_groups)
        .order_by(col(WorkingGroup.short_name), col(WorkingGroup.id))
    )
    if paging is not None:
        query = query.offset(paging.offset).limit(paging.size)
    shown = list(session.exec(query))
    # All groups: no list of ids (it would be as long as the organisation).
    ids = None if paging is None else [g.id or 0 for g in shown]
    themes_query = select(GroupTheme).where(GroupTheme.year == now.year)
    if ids is not None:
        themes_query = themes_query.where(col(GroupTheme.group_id).in_(ids))
    themes = {t.group_id: t.theme for t in session.exec(themes_query)}
    upcoming = next_meetings(session, now=now, group_ids=ids)
    lines = [
        GroupOverview(group=g, theme=themes.get(g.id or 0), next_meeting=upcoming.get(g.id or 0))
        for g in shown
    ]
    if paging is None:
        return lines, Paging(number=1, size=max(1, total), total=total)
    return lines, Paging(number=paging.number, size=paging.size, total=total)


def next_meetings(
    session: Session, *, now: datetime, group_ids: list[int] | None
) -> dict[int, Meeting]:
    """The next meeting (to come, or postponed to a period not over) of these groups (None: all)."""
    upcoming: dict[int, Meeting] = {}
    open_statuses = (MeetingStatus.planned, MeetingStatus.confirmed, MeetingStatus.postponed)
    chosen = [col(Meeting.status).in_(open_statuses)]
    if group_ids is not None:
        chosen.append(col(Meeting.group_id).in_(group_ids))
    # Of the meetings to come with a day, only each group's first is read (not the months of
    # meetings planned ahead); the few postponed to a period are read and weighed here.
    ranked = (
        sa.select(
            col(Meeting.id).label("id"),
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
    first = sa.select(ranked.c.id).where(ranked.c.rank == 1)
    postponed = sa.select(col(Meeting.id)).where(*chosen, col(Meeting.starts_at).is_(None))
    # A union of the two (an OR of them would be a scan of every meeting).
    to_come = select(Meeting).where(col(Meeting.id).in_(sa.union_all(first, postponed)))
    for meeting in session.exec(to_come):
        if meeting.period_start is not None and (
            period_end(meeting.period_start, meeting.date_precision) < now.date()
        ):
            continue  # postponed to a period that has passed: not "next" any more
        current = upcoming.get(meeting.group_id)
        if current is None or _when(meeting) < _when(current):
            upcoming[meeting.group_id] = meeting
    return upcoming


def _when(meeting: Meeting) -> datetime:
    if meeting.starts_at is not None:
        return meeting.starts_at
    assert meeting.period_start is not None
    return datetime.combine(meeting.period_start, datetime.min.time(), tzinfo=UTC)
