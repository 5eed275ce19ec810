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
from models.deliverables import Deliverable, DeliverableStatus
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting, MeetingStatus
from models.minutes import MinutesStatus, MinutesVersion
from models.notifications import Notification, NotificationStatus
from service.access.permissions import Principal
from service.clock import BRUSSELS, brussels
from service.deliverables import rag
from service.deliverables.deliverables import due_day_column
from service.lifecycle.advance import REMINDER_WINDOW, reminder_due
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


def _meeting_item(
    kind: WorkKind, meeting: Meeting, group: WorkingGroup, due: datetime, **more: Any
) -> WorkItem:
    return WorkItem(
        kind=kind,
        due=due,
        title=meeting.title,
        group_slug=group.slug,
        group_name=group.short_name,
        meeting_id=meeting.id,
        **more,
    )


def draft_agendas(
    session: Session, scope: Scope, *, now: datetime, invitation_days: int
) -> list[WorkItem]:
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
        select(Meeting, WorkingGroup)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .join(AgendaVersion, col(AgendaVersion.meeting_id) == Meeting.id)
        .where(
            AgendaVersion.number == DRAFT_NUMBER,
            col(Meeting.status).in_(OPEN_STATUSES),
            col(Meeting.starts_at) > now,
            ~published,
        )
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    return [
        _meeting_item(WorkKind.draft_agenda, m, g, _at(m) - timedelta(days=invitation_days))
        for m, g in rows
    ]


def closing_calls(session: Session, scope: Scope, *, now: datetime) -> list[WorkItem]:
    """Open calls that close within three days, with how many people have answered."""
    answered = (
        select(func.count(func.distinct(Submission.person_id)))
        .where(
            Submission.call_id == AgendaCall.id,
            Submission.status == SubmissionStatus.active,
        )
        .scalar_subquery()
    )
    query = (
        select(AgendaCall, Meeting, WorkingGroup, answered)
        .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(
            AgendaCall.status == CallStatus.open,
            col(AgendaCall.deadline) > now,
            col(AgendaCall.deadline) <= now + CALL_HORIZON,
        )
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    return [
        _meeting_item(WorkKind.call_closing, m, g, call.deadline, count=count)
        for call, m, g, count in rows
    ]


def late_input(session: Session, scope: Scope) -> list[WorkItem]:
    """Questions sent after the deadline that wait for a decision, per meeting."""
    query = (
        select(
            Meeting, WorkingGroup, func.count(col(Submission.id)), func.min(Submission.submitted_at)
        )
        .join(AgendaCall, col(AgendaCall.meeting_id) == Meeting.id)
        .join(Submission, col(Submission.call_id) == AgendaCall.id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(Submission.status == SubmissionStatus.late)
        .group_by(col(Meeting.id), col(WorkingGroup.id))
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    return [
        _meeting_item(WorkKind.late_input, m, g, _aware(first), count=count)
        for m, g, count, first in rows
    ]


def overdue_minutes(
    session: Session, scope: Scope, *, now: datetime, working_days: int
) -> list[WorkItem]:
    """Meetings held without minutes, past the day the secretariat is reminded of them."""
    written = select(MinutesVersion.id).where(MinutesVersion.meeting_id == Meeting.id).exists()
    query = (
        select(Meeting, WorkingGroup)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(
            Meeting.status == MeetingStatus.held,
            col(Meeting.ends_at) >= now - REMINDER_WINDOW,
            col(Meeting.ends_at) <= now,
            ~written,
        )
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    items = [
        _meeting_item(WorkKind.minutes_overdue, m, g, reminder_due(m, working_days=working_days))
        for m, g in rows
    ]
    return [item for item in items if item.due <= now]


def ended_reviews(session: Session, scope: Scope, *, now: datetime) -> list[WorkItem]:
    """Minutes whose review deadline has passed and that wait for approval."""
    query = (
        select(MinutesVersion, Meeting, WorkingGroup)
        .join(Meeting, col(Meeting.id) == MinutesVersion.meeting_id)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(
            MinutesVersion.status == MinutesStatus.in_review,
            col(MinutesVersion.review_deadline) < now,
        )
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    return [
        _meeting_item(WorkKind.review_ended, m, g, _aware(v.review_deadline)) for v, m, g in rows
    ]


def overdue_deliverables(
    session: Session, scope: Scope, *, now: datetime, limit: int | None = None
) -> list[WorkItem]:
    """Deliverables past their due day that are neither delivered nor dropped, most late first.

    With a limit, only the `limit` most late (columns only): the queue's page needs no more.
    """
    today = now.astimezone(BRUSSELS).date()
    due = due_day_column()
    query = (
        select(col(Deliverable.title), due, col(WorkingGroup.slug), col(WorkingGroup.short_name))
        .join(WorkingGroup, col(WorkingGroup.id) == Deliverable.group_id)
        .where(*_overdue(today))
        .order_by(due, col(WorkingGroup.slug), col(Deliverable.title))
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.exec(scope.only(query, col(Deliverable.group_id))).all()
    return [
        WorkItem(
            kind=WorkKind.deliverable_overdue,
            # Due by the end of its due day, Brussels time (shown as that day, 23:59).
            due=brussels(datetime.combine(day, END_OF_DAY)),
            title=title,
            group_slug=slug,
            group_name=short_name,
        )
        for title, day, slug, short_name in rows
    ]


def count_overdue_deliverables(session: Session, scope: Scope, *, now: datetime) -> int:
    """How many deliverables `overdue_deliverables` finds, counted by the database."""
    today = now.astimezone(BRUSSELS).date()
    query = select(func.count()).select_from(Deliverable).where(*_overdue(today))
    return int(session.exec(scope.only(query, col(Deliverable.group_id))).one())


def _overdue(today: date) -> list[Any]:
    return [
        col(Deliverable.status).not_in([DeliverableStatus.delivered, DeliverableStatus.dropped]),
        rag.ends_before(today),
    ]


def postponed_without_day(session: Session, scope: Scope) -> list[WorkItem]:
    """Meetings postponed to a month (or longer) that still need a day; waiting since then."""
    query = (
        select(Meeting, WorkingGroup)
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(Meeting.status == MeetingStatus.postponed, col(Meeting.starts_at).is_(None))
    )
    rows = session.exec(scope.only(query, col(Meeting.group_id))).all()
    return [_meeting_item(WorkKind.postponed_without_day, m, g, m.updated_at) for m, g in rows]


def failed_mail(session: Session, scope: Scope) -> list[WorkItem]:
    """Messages that could not be delivered; the secretariat's only."""
    if not scope.sees_mail:
        return []
    query = select(Notification.id, Notification.kind, Notification.next_attempt_at).where(
        Notification.status == NotificationStatus.failed
    )
    return [
        WorkItem(kind=WorkKind.mail_failed, due=_aware(at), title=kind)
        for _id, kind, at in session.exec(query).all()
    ]


def queue(
    session: Session, scope: Scope, *, now: datetime, invitation_days: int, minutes_days: int
) -> list[WorkItem]:
    """Everything that waits in scope, most late first."""
    items = _others(session, scope, now=now, invitation_days=invitation_days, days=minutes_days)
    items += overdue_deliverables(session, scope, now=now)
    return sorted(items, key=_order)


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

    The deliverables (the kind that grows with the years and the groups) are read only as
    far as the page reaches, in the queue's order, and counted by the database.
    """
    items = _others(
        session,
        scope,
        now=now,
        invitation_days=settings.invitation_days_before,
        days=settings.minutes_reminder_working_days,
    )
    total = len(items) + count_overdue_deliverables(session, scope, now=now)
    items += overdue_deliverables(session, scope, now=now, limit=offset + size)
    return sorted(items, key=_order)[offset : offset + size], total


def _order(item: WorkItem) -> tuple[datetime, str, str, str]:
    return (item.due, item.kind.value, item.group_slug or "", item.title)


def _others(
    session: Session, scope: Scope, *, now: datetime, invitation_days: int, days: int
) -> list[WorkItem]:
    """Every kind of work but the deliverables."""
    finders: list[Callable[[], list[WorkItem]]] = [
        lambda: draft_agendas(session, scope, now=now, invitation_days=invitation_days),
        lambda: closing_calls(session, scope, now=now),
        lambda: late_input(session, scope),
        lambda: overdue_minutes(session, scope, now=now, working_days=days),
        lambda: ended_reviews(session, scope, now=now),
        lambda: postponed_without_day(session, scope),
        lambda: failed_mail(session, scope),
    ]
    return [item for find in finders for item in find()]


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


def _at(meeting: Meeting) -> datetime:
    assert meeting.starts_at is not None
    return meeting.starts_at


def _aware(value: datetime | None) -> datetime:
    """Aggregates (min) come back without the column's type on SQLite: attach UTC again."""
    assert value is not None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
