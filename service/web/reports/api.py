"""The JSON API of the directors' overview: groups, programme roll-up and deliverables."""

from datetime import date

from pydantic import BaseModel

from service.access.permissions import Access
from service.deliverables import register
from service.reports import portfolio
from service.web.deliverables.schemas import DeliverableResponse, deliverable_response
from service.web.errors import api_router
from service.web.reports.filters import FiltersDep
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api", "follow-up")


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


def _group(line: portfolio.GroupLine) -> GroupSummary:
    return GroupSummary(
        slug=line.group.slug,
        programme=line.programme.slug if line.programme else None,
        next_meeting_id=line.next_meeting.id if line.next_meeting else None,
        held_this_year=line.held_this_year,
        open_by_colour=dict(line.open_by_rag),
        slipped_deliverable_ids=[r.deliverable.id or 0 for r in line.slipped],
    )


def _programme(line: portfolio.ProgrammeLine) -> ProgrammeSummary:
    return ProgrammeSummary(
        programme=line.programme.slug if line.programme else None,
        groups=line.groups,
        held_this_year=line.held_this_year,
        by_status=dict(line.by_status),
        open_by_colour=dict(line.open_by_rag),
        delivered_this_year=line.delivered_this_year,
        slipped=line.slipped,
    )


@router.get("/overview", dependencies=[require(Access.read_all)])
def overview(ctx: Ctx, filters: FiltersDep) -> OverviewResponse:
    """The directors' overview: groups, programme roll-up and deliverables, filtered."""
    found = portfolio.overview(ctx.session, now=ctx.now, filters=filters)
    items = [row.deliverable for row in found.rows]
    details = register.details(ctx.session, items=items, today=found.today)
    return OverviewResponse(
        today=found.today,
        groups=[_group(line) for line in found.groups],
        programmes=[_programme(line) for line in found.programmes],
        deliverables=[deliverable_response(d, with_history=False) for d in details],
    )
