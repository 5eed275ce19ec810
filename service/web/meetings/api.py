"""The JSON API for a group's meetings: the list, scheduling one, and planning a year."""

from service.meetings import meetings, planning
from service.web.errors import api_router
from service.web.meetings.schemas import MeetingRequest, MeetingResponse, PlanRequest
from service.web.scope import ChairAct, GroupDep, Reader, SecretariatAct
from service.web.views import Ctx

router = api_router("/api/groups/{slug}", "meetings")


@router.get("/meetings")
def group_meetings(ctx: Ctx, group: GroupDep, _reader: Reader) -> list[MeetingResponse]:
    """A group's meetings in time order."""
    assert group.id is not None
    return [
        MeetingResponse.model_validate(m)
        for m in meetings.for_group(ctx.session, group_id=group.id)
    ]


@router.post("/meetings", status_code=201)
def schedule_meeting(
    ctx: Ctx, group: GroupDep, body: MeetingRequest, act: ChairAct
) -> MeetingResponse:
    """Schedule a one-off meeting for a group; its steps start at once."""
    meeting_in = body.to_create(group.slug)
    meeting = meetings.schedule_upcoming(ctx.session, meeting_in=meeting_in, **act.then)
    return MeetingResponse.model_validate(meeting)


@router.post("/plan", status_code=201)
def plan_year(
    ctx: Ctx, group: GroupDep, body: PlanRequest, act: SecretariatAct
) -> list[MeetingResponse]:
    """Create the meetings the group's cadence gives for a year; existing ones stay as they are."""
    created = planning.plan_year(ctx.session, group_slug=group.slug, year=body.year, **act.by)
    return [MeetingResponse.model_validate(m) for m in created]
