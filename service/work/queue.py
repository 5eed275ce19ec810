"""What waits for the secretariat (or a chair) across the groups, most late first.

Each kind of work is found with one query over every group in scope, never one per group or
per meeting, so the home page stays fast with twenty groups. An item is "due" at the moment
it should have been done; items not due yet (a call closing in two days) come after the late
ones.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from models.agenda import (
    AgendaCall,
    AgendaVersion,
    AgendaVersionStatus,
    CallStatus,
    Submission,
    SubmissionStatus,
)
from models.base import fixed
from models.deliverables import Deliverable, DeliverableStatus
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting, MeetingStatus
from models.minutes import MinutesStatus, MinutesVersion
from models.notifications import Notification, NotificationStatus
from service.access.permissions import Principal
from service.clock import BRUSSELS, brussels
from service.deliverables import rag
from service.deliverables.deliverables import due_day_column
from service.lifecycle.advance import REMINDER_WINDOW, reminder_day
from service.settings import Settings

# Calls that close this soon are shown with how many have answered.
CALL_HORIZON = timedelta(days=3)
DRAFT_NUMBER = 0
END_OF_DAY = time(23, 59)


class WorkKind(StrEnum):
    """The kinds of work the queue lists."""

    draft_agenda = "draft_agenda"
    call_closing = "call_closing"
    late_input = "late_input"
    minutes_overdue = "minutes_overdue"
    review_ended = "review_ended"
    deliverable_overdue = "deliverable_overdue"
    postponed_without_day = "postponed_without_day"
    mail_failed = "mail_failed"


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, for which group, since (or until) when, and where to do it."""

    kind: WorkKind
    due: datetime
    title: str
    group_slug: str | None = None
    group_name: str | None = None
    meeting_id: int | None = None
    count: int | None = None  # answers, questions waiting
    total: int | None = None  # people asked

    def lateness(self, now: datetime) -> timedelta:
        """How late the item is (negative: not due yet)."""
        return now - self.due


@dataclass(frozen=True)
class Scope:
    """Whose queue: every group (the secretariat) or a chair's own groups; mail only for staff."""

    group_ids: Collection[int] | None
    sees_mail: bool

    @classmethod
    def everything(cls) -> "Scope":
        """The secretariat's scope."""
        return cls(group_ids=None, sees_mail=True)

    @classmethod
    def groups(cls, group_ids: Iterable[int]) -> "Scope":
        """A chair's scope: their groups, no mail."""
        return cls(group_ids=frozenset(group_ids), sees_mail=False)

    def only(self, query: Any, column: Any) -> Any:
        """The query narrowed to the groups in scope."""
        return query if self.group_ids is None else query.where(column.in_(self.group_ids))


# A kind's items (the first `limit` in the queue's order when limited) and how many it holds.
Found = tuple[list[WorkItem], int]
# The columns every meeting's item is made of, after the kind's own.
_MEETING = (
    col(Meeting.id),
    col(Meeting.title),
    col(WorkingGroup.slug),
    col(WorkingGroup.short_name),
)


def _read(
    session: Session, scope: Scope, query: Any, group: Any, order: list[Any], limit: int | None
) -> tuple[list[Any], int]:
    """The rows of a kind in the queue's order, columns only; with a limit, the first ones.

    Limited, the database counts every row of the kind in the same statement (a window
    count), sorts and returns only the first `limit`: the work is the page's, not the
    organisation's.
    """
    query = scope.only(query, group).order_by(*order)
    if limit is None:
        rows = list(session.execute(query).all())
        return rows, len(rows)
    found = list(session.execute(query.add_columns(func.count().over()).limit(limit)).all())
    return [tuple(row)[:-1] for row in found], int(found[0][-1]) if found else 0


def _meeting_item(kind: WorkKind, row: Any, due: datetime, **more: Any) -> WorkItem:
    """An item from a row ending in the meeting's id and title and the group's slug and name."""
    meeting_id, title, slug, short_name = tuple(row)[-4:]
    return WorkItem(
        kind=kind,
        due=due,
        title=title,
        group_slug=slug,
        group_name=short_name,
        meeting_id=meeting_id,
        **more,
    )


def _in_order(*columns: Any) -> list[Any]:
    """The queue's order inside a kind: due, then group and title (`_order`), then meeting."""
    return [*columns, col(WorkingGroup.slug), col(Meeting.title), col(Meeting.id)]


def draft_agendas(
    session: Session,
    scope: Scope,
    *,
    now: datetime,
    invitation_days: int,
    limit: int | None = None,
) -> Found:
    """Drafts never published for meetings to come; due when the invitations must go out."""
    later = aliased(AgendaVersion)  # a published version of the same meeting
    published = (
        select(later.id)
        .where(
            later.meeting_id == Meeting.id,
            col(later.status).in_([AgendaVersionStatus.published, AgendaVersionStatus.superseded]),
        )
        .exists()
    )
    query = (
        sa.select(col(Meeting.starts_at), *_MEETING)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .join(AgendaVersion, col(AgendaVersion.meeting_id) == Meeting.id)
        .where(
            col(AgendaVersion.number) == fixed(DRAFT_NUMBER),
            col(Meeting.status).in_(OPEN_STATUSES),
            col(Meeting.starts_at) > now,
            ~published,
        )
    )
    order = _in_order(col(Meeting.starts_at))
    rows, total = _read(session, scope, query, col(Meeting.group_id), order, limit)
    invitations = timedelta(days=invitation_days)
    return [
        _meeting_item(WorkKind.draft_agenda, row, _aware(row[0]) - invitations) for row in rows
    ], total


def closing_calls(
    session: Session, scope: Scope, *, now: datetime, limit: int | None = None
) -> Found:
    """Open calls that close within three days, with how many people have answered.

    The answers are counted for the calls of the page alone: the calls are sorted and limited
    in a subquery, and only its rows get their count. Limited, the calls of the three days are
    counted apart from the open calls' deadline index (ix_agenda_call_open_deadline): a window
    count would join every one of them to its meeting and group, where the page's sort only
    needs the calls of its first deadline (calls close at a few shared hours).
    """
    closing = [
        col(AgendaCall.status) == fixed(CallStatus.open),
        col(AgendaCall.deadline) > now,
        col(AgendaCall.deadline) <= now + CALL_HORIZON,
    ]
    calls: sa.Select[Any] = (
        sa.select(col(AgendaCall.id).label("call_id"), col(AgendaCall.deadline), *_MEETING)
        .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(*closing)
    )
    calls = scope.only(calls, col(Meeting.group_id)).order_by(*_in_order(col(AgendaCall.deadline)))
    page = calls.limit(limit).subquery()
    answered = (
        sa.select(func.count(func.distinct(col(Submission.person_id))))
        .where(
            col(Submission.call_id) == page.c.call_id,
            col(Submission.status) == SubmissionStatus.active,
        )
        .scalar_subquery()
    )
    counted = [] if limit is None else [_closing_count(scope, closing)]
    meeting = [page.c.id, page.c.title, page.c.slug, page.c.short_name]
    rows = session.execute(
        sa.select(page.c.deadline, answered, *counted, *meeting).order_by(
            page.c.deadline, page.c.slug, page.c.title, page.c.id
        )
    ).all()
    # The page is the first `limit` calls: none on it means none at all.
    total = len(rows) if limit is None else (int(rows[0][2]) if rows else 0)
    return [
        _meeting_item(WorkKind.call_closing, row, _aware(row[0]), count=row[1]) for row in rows
    ], total


def _closing_count(scope: Scope, closing: list[Any]) -> Any:
    """How many calls close within the horizon in scope, as a scalar subquery."""
    counted = sa.select(func.count()).select_from(AgendaCall).where(*closing)
    if scope.group_ids is not None:
        # A chair's groups: through the meeting (the secretariat's count reads the index alone).
        counted = counted.join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
    return scope.only(counted, col(Meeting.group_id)).scalar_subquery()


def late_input(session: Session, scope: Scope, *, limit: int | None = None) -> Found:
    """Questions sent after the deadline that wait for a decision, per meeting."""
    first = func.min(Submission.submitted_at)
    query = (
        sa.select(first, func.count(col(Submission.id)), *_MEETING)
        .join(AgendaCall, col(AgendaCall.meeting_id) == Meeting.id)
        .join(Submission, col(Submission.call_id) == AgendaCall.id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(col(Submission.status) == SubmissionStatus.late)
        .group_by(col(Meeting.id), col(WorkingGroup.id))
    )
    rows, total = _read(session, scope, query, col(Meeting.group_id), _in_order(first), limit)
    return [
        _meeting_item(WorkKind.late_input, row, _aware(row[0]), count=row[1]) for row in rows
    ], total


def overdue_minutes(
    session: Session,
    scope: Scope,
    *,
    now: datetime,
    working_days: int,
    limit: int | None = None,
) -> Found:
    """Meetings held without minutes, past the day the secretariat is reminded of them.

    The reminder's day (working days after the end's local day, holidays counted in Python)
    only grows with the end, so the days of the 45-day window are worked out first: those
    whose reminder is due give the last end to read, and each its reminder's rank. The
    database then reads the held meetings without minutes (their partial index) that ended by
    then, sorted by that rank as the queue is, counted and limited like the other kinds.
    """
    since = now - REMINDER_WINDOW
    dues = _minutes_dues(since, now, working_days)
    # Nothing due yet: the same one statement, over an empty range of ends.
    last_end = dues[-1][0] if dues else since
    rank = sa.case(
        *((col(Meeting.ends_at) < before, i) for i, (before, _) in enumerate(dues)),
        else_=len(dues),
    ).label("rank")
    late = [
        col(Meeting.status) == fixed(MeetingStatus.held),
        ~col(Meeting.minutes_written),
        col(Meeting.ends_at) >= since,
        col(Meeting.ends_at) <= now,
        col(Meeting.ends_at) < last_end,
    ]
    # The group's slug and name looked up per late meeting (its primary key): a join made
    # PostgreSQL hash every group of the organisation for a few hundred meetings.
    group_columns = ((col(WorkingGroup.slug), "slug"), (col(WorkingGroup.short_name), "name"))
    slug, short_name = (
        sa.select(column)
        .where(col(WorkingGroup.id) == Meeting.group_id)
        .scalar_subquery()
        .label(name)
        for column, name in group_columns
    )
    query = sa.select(rank, col(Meeting.id), col(Meeting.title), slug, short_name).where(*late)
    query = scope.only(query, col(Meeting.group_id))
    order = [rank, slug, col(Meeting.title), col(Meeting.id)]
    rows: list[Any]
    if limit is None:
        rows = list(session.execute(query.order_by(*order)).all())
        total = len(rows)
    else:
        # Counted apart from the index of the held meetings without minutes, in the same
        # statement: a window count would look up every late meeting's group first.
        counted = scope.only(
            sa.select(func.count()).select_from(Meeting).where(*late), col(Meeting.group_id)
        )
        limited = query.add_columns(counted.scalar_subquery()).order_by(*order).limit(limit)
        found = list(session.execute(limited).all())
        rows, total = [tuple(r)[:-1] for r in found], int(found[0][-1]) if found else 0
    return [_meeting_item(WorkKind.minutes_overdue, row, dues[row[0]][1]) for row in rows], total


def _minutes_dues(
    since: datetime, now: datetime, working_days: int
) -> list[tuple[datetime, datetime]]:
    """(ends before, reminder day) for each reminder already due, earliest first.

    A meeting that ended before the first instant (and after the previous one) is reminded
    on the second; the days of the window that share a reminder (a weekend) share an entry.
    The reminder's day depends on the local day of the end alone and never decreases with it.
    """
    found: list[tuple[datetime, datetime]] = []
    day, last = since.astimezone(BRUSSELS).date(), now.astimezone(BRUSSELS).date()
    while day <= last:
        due = reminder_day(brussels(datetime.combine(day, time(12, 0))), working_days=working_days)
        if due > now:
            break
        ends_before = brussels(datetime.combine(day + timedelta(days=1), time(0, 0)))
        if found and found[-1][1] == due:
            found[-1] = (ends_before, due)
        else:
            found.append((ends_before, due))
        day += timedelta(days=1)
    return found


def ended_reviews(
    session: Session, scope: Scope, *, now: datetime, limit: int | None = None
) -> Found:
    """Minutes whose review deadline has passed and that wait for approval."""
    query = (
        sa.select(col(MinutesVersion.review_deadline), *_MEETING)
        .join(Meeting, col(Meeting.id) == MinutesVersion.meeting_id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(
            col(MinutesVersion.status) == MinutesStatus.in_review,
            col(MinutesVersion.review_deadline) < now,
        )
    )
    order = _in_order(col(MinutesVersion.review_deadline))
    rows, total = _read(session, scope, query, col(Meeting.group_id), order, limit)
    return [_meeting_item(WorkKind.review_ended, row, _aware(row[0])) for row in rows], total


def overdue_deliverables(
    session: Session, scope: Scope, *, now: datetime, limit: int | None = None
) -> Found:
    """Deliverables past their due day that are neither delivered nor dropped, most late first.

    Found from the open deliverables' index on the stored due day; limited, counted apart.
    """
    today = now.astimezone(BRUSSELS).date()
    due = due_day_column()
    query = (
        select(due, col(Deliverable.title), col(WorkingGroup.slug), col(WorkingGroup.short_name))
        .join(WorkingGroup, col(WorkingGroup.id) == Deliverable.group_id)
        .where(*_overdue(today))
    )
    order = [due, col(WorkingGroup.slug), col(Deliverable.title), col(Deliverable.id)]
    if limit is None:
        rows, total = _read(session, scope, query, col(Deliverable.group_id), order, None)
    else:
        # The kind that grows with the years: counted apart from the open ones' index (a
        # window count would join and sort every overdue one), then read as far as the page.
        counted = select(func.count()).select_from(Deliverable).where(*_overdue(today))
        total = int(session.exec(scope.only(counted, col(Deliverable.group_id))).one())
        limited = scope.only(query, col(Deliverable.group_id)).order_by(*order).limit(limit)
        rows = list(session.execute(limited).all())
    return [
        WorkItem(
            kind=WorkKind.deliverable_overdue,
            # Due by the end of its due day, Brussels time (shown as that day, 23:59).
            due=brussels(datetime.combine(_day(day), END_OF_DAY)),
            title=title,
            group_slug=slug,
            group_name=short_name,
        )
        for day, title, slug, short_name in rows
    ], total


def _overdue(today: date) -> list[Any]:
    return [
        col(Deliverable.status).not_in(
            [fixed(DeliverableStatus.delivered), fixed(DeliverableStatus.dropped)]
        ),
        rag.ends_before(today),
    ]


def postponed_without_day(session: Session, scope: Scope, *, limit: int | None = None) -> Found:
    """Meetings postponed to a month (or longer) that still need a day; waiting since then."""
    query = (
        sa.select(col(Meeting.updated_at), *_MEETING)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(
            col(Meeting.status) == fixed(MeetingStatus.postponed),
            col(Meeting.starts_at).is_(None),
        )
    )
    order = _in_order(col(Meeting.updated_at))
    rows, total = _read(session, scope, query, col(Meeting.group_id), order, limit)
    return [
        _meeting_item(WorkKind.postponed_without_day, row, _aware(row[0])) for row in rows
    ], total


def failed_mail(session: Session, scope: Scope, *, limit: int | None = None) -> Found:
    """Messages that could not be delivered; the secretariat's only."""
    if not scope.sees_mail:
        return [], 0
    query = select(col(Notification.next_attempt_at), col(Notification.kind)).where(
        Notification.status == NotificationStatus.failed
    )
    order = [col(Notification.next_attempt_at), col(Notification.kind), col(Notification.id)]
    rows, total = _read(session, Scope.everything(), query, None, order, limit)
    return [
        WorkItem(kind=WorkKind.mail_failed, due=_aware(at), title=kind) for at, kind in rows
    ], total


def queue(
    session: Session, scope: Scope, *, now: datetime, invitation_days: int, minutes_days: int
) -> list[WorkItem]:
    """Everything that waits in scope, most late first."""
    found = _kinds(session, scope, now=now, invitation_days=invitation_days, days=minutes_days)
    return sorted((item for items, _ in found for item in items), key=_order)


def queue_page(
    session: Session,
    scope: Scope,
    *,
    now: datetime,
    settings: Settings,
    offset: int,
    size: int,
) -> tuple[list[WorkItem], int]:
    """The items `offset` to `offset + size` of `queue`, and how many it holds in all.

    Each kind is read only as far as the page reaches, in the queue's order, and counted by
    the database in the same statement: the merged first `offset + size` of every kind hold
    the page.
    """
    found = _kinds(
        session,
        scope,
        now=now,
        invitation_days=settings.invitation_days_before,
        days=settings.minutes_reminder_working_days,
        limit=offset + size,
    )
    items = sorted((item for items, _ in found for item in items), key=_order)
    return items[offset : offset + size], sum(total for _, total in found)


def _order(item: WorkItem) -> tuple[datetime, str, str, str]:
    return (item.due, item.kind.value, item.group_slug or "", item.title)


def _kinds(
    session: Session,
    scope: Scope,
    *,
    now: datetime,
    invitation_days: int,
    days: int,
    limit: int | None = None,
) -> list[Found]:
    """Every kind of work, one statement each, limited to the first `limit` when given."""
    finders: list[Callable[[], Found]] = [
        lambda: draft_agendas(
            session, scope, now=now, invitation_days=invitation_days, limit=limit
        ),
        lambda: closing_calls(session, scope, now=now, limit=limit),
        lambda: late_input(session, scope, limit=limit),
        lambda: overdue_minutes(session, scope, now=now, working_days=days, limit=limit),
        lambda: ended_reviews(session, scope, now=now, limit=limit),
        lambda: overdue_deliverables(session, scope, now=now, limit=limit),
        lambda: postponed_without_day(session, scope, limit=limit),
        lambda: failed_mail(session, scope, limit=limit),
    ]
    return [find() for find in finders]


def scope_of(principal: Principal) -> Scope | None:
    """The secretariat sees every group; a chair their own; anyone else has no queue."""
    if principal.is_secretariat:
        return Scope.everything()
    managed = [g for g in principal.group_roles if principal.manages(g)]
    return Scope.groups(managed) if managed else None


def for_principal(
    session: Session, *, principal: Principal, settings: Settings, now: datetime
) -> list[WorkItem] | None:
    """What waits for a person: None when they manage nothing (a member, a director)."""
    scope = scope_of(principal)
    if scope is None:
        return None
    return queue(
        session,
        scope,
        now=now,
        invitation_days=settings.invitation_days_before,
        minutes_days=settings.minutes_reminder_working_days,
    )


def _day(value: date | str) -> date:
    """A date column's value (SQLite may hand back its ISO text through a coerced type)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _aware(value: datetime | None) -> datetime:
    """Aggregates (min) come back without the column's type on SQLite: attach UTC again."""
    assert value is not None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
