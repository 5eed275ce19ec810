"""The JSON API for decisions, deliverables and the directors' overview (same rules as pages)."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlmodel import Session

from models.dates import DatePrecision
from models.deliverables import (
    Decision,
    DecisionCreate,
    Deliverable,
    DeliverableCreate,
    DeliverableStatus,
)
from models.errors import N_, NotFound
from models.groups import WorkingGroup
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.clock import local_today
from service.deliverables import deliverables, rag
from service.directory import groups
from service.reports import portfolio
from service.reports.portfolio import Filters
from service.web.api import _ERRORS
from service.web.deps import IdPath, NowDep, SessionDep
from service.web.security import require, signed_in

router = APIRouter(prefix="/api", tags=["follow-up"], responses=_ERRORS)
Chair = Annotated[Principal | None, require(Access.group_chair)]
Reason = Field(default=None, max_length=2000)


class ChangeResponse(BaseModel):
    """One recorded change: what, from what to what, who (by id), when and why."""

    field: str
    old_value: str | None
    new_value: str
    reason: str | None
    changed_at: datetime
    changed_by_id: int | None


class DeliverableResponse(BaseModel):
    """A deliverable, with its colour today and how far its due date has moved."""

    id: int
    group: str
    title: str
    description: str | None
    status: str
    status_reason: str | None
    progress: int
    due_on: date
    due_precision: str
    due_day: date
    first_due_on: date
    first_due_precision: str
    colour: str | None
    accountable_person_id: int | None
    accountable_organisation_id: int | None
    delivered_on: date | None
    meeting_id: int | None
    agenda_item_id: int | None
    decision_id: int | None
    history: list[ChangeResponse] | None = None


class DecisionResponse(BaseModel):
    """A decision of a group."""

    id: int
    text: str
    decided_on: date
    meeting_id: int | None
    agenda_item_id: int | None


class StatusChange(BaseModel):
    """A new status; blocked and dropped need a reason."""

    status: DeliverableStatus
    reason: str | None = Reason
    delivered_on: date | None = None


class DueChange(BaseModel):
    """A new due date, possibly only a month, quarter, half year or year, and why."""

    due_on: date
    precision: DatePrecision = DatePrecision.day
    reason: str = Field(max_length=2000)


class ProgressChange(BaseModel):
    """How far along the deliverable is, in percent."""

    progress: int = Field(ge=0, le=100)
    note: str | None = Reason


class GroupSummary(BaseModel):
    """One group on the directors' overview."""

    slug: str
    programme: str | None
    next_meeting_id: int | None
    held_this_year: int
    open_by_colour: dict[str, int]
    slipped_deliverable_ids: list[int]


class ProgrammeSummary(BaseModel):
    """The roll-up of one programme (null: the groups outside any programme)."""

    programme: str | None
    groups: int
    held_this_year: int
    by_status: dict[str, int]
    open_by_colour: dict[str, int]
    delivered_this_year: int
    slipped: int


class OverviewResponse(BaseModel):
    """The directors' overview."""

    today: date
    groups: list[GroupSummary]
    programmes: list[ProgrammeSummary]
    deliverables: list[DeliverableResponse]


def _response(
    session: Session, item: Deliverable, *, today: date, with_history: bool = False
) -> DeliverableResponse:
    assert item.id is not None
    changes = deliverables.history(session, deliverable_id=item.id)
    slip = deliverables.slip(item, changes)
    group = session.get(WorkingGroup, item.group_id)
    assert group is not None
    colour = rag.colour(item, today)
    return DeliverableResponse(
        id=item.id,
        group=group.slug,
        title=item.title,
        description=item.description,
        status=item.status.value,
        status_reason=item.status_reason,
        progress=item.progress,
        due_on=item.due_on,
        due_precision=item.due_precision.value,
        due_day=deliverables.due_day(item),
        first_due_on=slip.first_on,
        first_due_precision=slip.first_precision.value,
        colour=colour.value if colour else None,
        accountable_person_id=item.accountable_person_id,
        accountable_organisation_id=item.accountable_organisation_id,
        delivered_on=item.delivered_on,
        meeting_id=item.meeting_id,
        agenda_item_id=item.agenda_item_id,
        decision_id=item.decision_id,
        history=[
            ChangeResponse(
                field=c.field.value,
                old_value=c.old_value,
                new_value=c.new_value,
                reason=c.reason,
                changed_at=c.changed_at,
                changed_by_id=c.changed_by_id,
            )
            for c in changes
        ]
        if with_history
        else None,
    )


def _decision(decision: Decision) -> DecisionResponse:
    assert decision.id is not None
    return DecisionResponse(
        id=decision.id,
        text=decision.text,
        decided_on=decision.decided_on,
        meeting_id=decision.meeting_id,
        agenda_item_id=decision.agenda_item_id,
    )


def _in_group(session: Session, slug: str, deliverable_id: int) -> Deliverable:
    group = groups.get_by_slug(session, slug=slug)
    item = deliverables.get(session, deliverable_id=deliverable_id)
    if item.group_id != group.id:
        raise NotFound(N_("Unknown deliverable: %(id)s."), field="deliverable", id=deliverable_id)
    return item


@router.get("/groups/{slug}/deliverables", dependencies=[require(Access.group_read)])
def list_deliverables(slug: str, session: SessionDep, now: NowDep) -> list[DeliverableResponse]:
    """A group's deliverables, soonest due first."""
    group = groups.get_by_slug(session, slug=slug)
    today = local_today(now)
    return [
        _response(session, item, today=today)
        for item in deliverables.for_group(session, group_id=group.id or 0)
    ]


@router.post("/groups/{slug}/deliverables", status_code=201)
def create_deliverable(
    slug: str, body: DeliverableCreate, session: SessionDep, now: NowDep, principal: Chair
) -> DeliverableResponse:
    """Record a deliverable of the group (the group in the body is ignored)."""
    body.group = slug
    item = deliverables.create(
        session, deliverable_in=body, actor=Actor.of(signed_in(principal).person), now=now
    )
    return _response(session, item, today=local_today(now))


@router.get(
    "/groups/{slug}/deliverables/{deliverable_id}", dependencies=[require(Access.group_read)]
)
def get_deliverable(
    slug: str, deliverable_id: IdPath, session: SessionDep, now: NowDep
) -> DeliverableResponse:
    """A deliverable with every change of status, due date and progress."""
    item = _in_group(session, slug, deliverable_id)
    return _response(session, item, today=local_today(now), with_history=True)


@router.post("/groups/{slug}/deliverables/{deliverable_id}/status")
def change_status(
    slug: str,
    deliverable_id: IdPath,
    body: StatusChange,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> DeliverableResponse:
    """Change the status; the old one stays in the history with the reason."""
    _in_group(session, slug, deliverable_id)
    item = deliverables.change_status(
        session,
        deliverable_id=deliverable_id,
        status=body.status,
        reason=body.reason,
        delivered_on=body.delivered_on,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _response(session, item, today=local_today(now), with_history=True)


@router.post("/groups/{slug}/deliverables/{deliverable_id}/due")
def change_due(
    slug: str,
    deliverable_id: IdPath,
    body: DueChange,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> DeliverableResponse:
    """Move the due date; the old one stays in the history with the reason."""
    _in_group(session, slug, deliverable_id)
    item = deliverables.change_due(
        session,
        deliverable_id=deliverable_id,
        due_on=body.due_on,
        precision=body.precision,
        reason=body.reason,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _response(session, item, today=local_today(now), with_history=True)


@router.post("/groups/{slug}/deliverables/{deliverable_id}/progress")
def change_progress(
    slug: str,
    deliverable_id: IdPath,
    body: ProgressChange,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> DeliverableResponse:
    """Record how far along the deliverable is."""
    _in_group(session, slug, deliverable_id)
    item = deliverables.change_progress(
        session,
        deliverable_id=deliverable_id,
        progress=body.progress,
        note=body.note,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _response(session, item, today=local_today(now), with_history=True)


@router.get("/groups/{slug}/decisions", dependencies=[require(Access.group_read)])
def list_decisions(slug: str, session: SessionDep) -> list[DecisionResponse]:
    """A group's decisions, newest first."""
    group = groups.get_by_slug(session, slug=slug)
    return [_decision(d) for d in deliverables.decisions_for_group(session, group_id=group.id or 0)]


@router.post("/groups/{slug}/decisions", status_code=201)
def record_decision(
    slug: str, body: DecisionCreate, session: SessionDep, now: NowDep, principal: Chair
) -> DecisionResponse:
    """Record a decision of the group (the group in the body is ignored)."""
    body.group = slug
    decision = deliverables.record_decision(
        session, decision_in=body, actor=Actor.of(signed_in(principal).person), now=now
    )
    return _decision(decision)


Slug = Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]*$")]


@router.get("/overview", dependencies=[require(Access.read_all)])
def overview(
    session: SessionDep,
    now: NowDep,
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: Literal[
        "planned",
        "in_progress",
        "at_risk",
        "blocked",
        "delivered",
        "dropped",
        "red",
        "amber",
        "green",
    ]
    | None = None,
) -> OverviewResponse:
    """The directors' overview: groups, programme roll-up and deliverables, filtered."""
    result = portfolio.overview(
        session,
        now=now,
        filters=Filters(
            programme=programme or None,
            group=group or None,
            organisation=organisation or None,
            status=status,
        ),
    )
    return OverviewResponse(
        today=result.today,
        groups=[
            GroupSummary(
                slug=line.group.slug,
                programme=line.programme.slug if line.programme else None,
                next_meeting_id=line.next_meeting.id if line.next_meeting else None,
                held_this_year=line.held_this_year,
                open_by_colour=dict(line.open_by_rag),
                slipped_deliverable_ids=[r.deliverable.id or 0 for r in line.slipped],
            )
            for line in result.groups
        ],
        programmes=[
            ProgrammeSummary(
                programme=line.programme.slug if line.programme else None,
                groups=line.groups,
                held_this_year=line.held_this_year,
                by_status=dict(line.by_status),
                open_by_colour=dict(line.open_by_rag),
                delivered_this_year=line.delivered_this_year,
                slipped=line.slipped,
            )
            for line in result.programmes
        ],
        deliverables=[
            _response(session, row.deliverable, today=result.today) for row in result.rows
        ],
    )
