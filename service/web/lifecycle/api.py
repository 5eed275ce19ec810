"""The JSON API for a meeting's lifecycle: where it stands, and changes to it."""

from models.meetings import Meeting
from service.agenda import calls
from service.lifecycle import changes, meeting_status
from service.web.errors import api_router
from service.web.lifecycle.schemas import (
    CancelRequest,
    MeetingStatusResponse,
    PlaceRequest,
    PostponeRequest,
    RescheduleRequest,
    status_response,
)
from service.web.scope import ChairAct, MeetingDep, Reader, id_of
from service.web.views import Context, Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}", "meetings")


def answer(ctx: Context, meeting: Meeting) -> MeetingStatusResponse:
    """A meeting, its call and every step of its life, as it stands now."""
    timeline = meeting_status.timeline(
        ctx.session, meeting=meeting, settings=ctx.settings, now=ctx.now
    )
    call = calls.for_meeting(ctx.session, meeting_id=id_of(meeting))
    return status_response(meeting, call, timeline, ctx.settings, ctx.gettext)


@router.get("")
def meeting_detail(ctx: Ctx, meeting: MeetingDep, _reader: Reader) -> MeetingStatusResponse:
    """A meeting, every step of its life with when it is due and when it was done."""
    return answer(ctx, meeting)


@router.post("/reschedule")
def reschedule(
    ctx: Ctx, meeting: MeetingDep, body: RescheduleRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Move a meeting to a new slot; members get an update."""
    moved = changes.reschedule(ctx.session, meeting_id=id_of(meeting), **body.args(), **act.then)
    return answer(ctx, moved)


@router.post("/postpone")
def postpone(
    ctx: Ctx, meeting: MeetingDep, body: PostponeRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Postpone a meeting to a month, quarter, half year or year; members hear at once."""
    moved = changes.postpone(ctx.session, meeting_id=id_of(meeting), **body.args(), **act.then)
    return answer(ctx, moved)


@router.post("/cancel")
def cancel(
    ctx: Ctx, meeting: MeetingDep, body: CancelRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Cancel a meeting; its questions move to the next one, members hear at once."""
    cancelled = changes.cancel(
        ctx.session, meeting_id=id_of(meeting), reason=body.reason, **act.then
    )
    return answer(ctx, cancelled)


@router.post("/place")
def change_place(
    ctx: Ctx, meeting: MeetingDep, body: PlaceRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Change the room, the online link or the format; invited members get an update."""
    moved = changes.change_place(ctx.session, meeting_id=id_of(meeting), **body.args(), **act.then)
    return answer(ctx, moved)
