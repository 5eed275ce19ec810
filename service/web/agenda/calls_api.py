"""The JSON API for a meeting's call: open it now, move its deadline, set it up, close it."""

from service.agenda import calls, controls
from service.web.agenda.schemas import CallSettingsRequest, ExtendRequest
from service.web.errors import api_router
from service.web.lifecycle.api import answer
from service.web.lifecycle.schemas import MeetingStatusResponse
from service.web.scope import ChairAct, MeetingDep
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/call", "agenda")


@router.post("/open")
def open_call(ctx: Ctx, meeting: MeetingDep, act: ChairAct) -> MeetingStatusResponse:
    """Open the meeting's call for input now; every member gets their link."""
    policy = calls.CallPolicy.of(ctx.settings)
    controls.open_now(ctx.session, meeting=meeting, policy=policy, **act.then)
    return answer(ctx, meeting)


@router.post("/extend")
def extend_call(
    ctx: Ctx, meeting: MeetingDep, body: ExtendRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Move the call's deadline (creating the call when there is none); reminders follow."""
    controls.move_deadline(ctx.session, meeting=meeting, deadline=body.deadline, **act.then)
    return answer(ctx, meeting)


@router.post("/settings")
def configure_call(
    ctx: Ctx, meeting: MeetingDep, body: CallSettingsRequest, act: ChairAct
) -> MeetingStatusResponse:
    """Set the call's guidance and how many questions a member may send (creating the call)."""
    controls.configure(ctx.session, meeting=meeting, **body.args(), **act.by)
    return answer(ctx, meeting)


@router.post("/close")
def close_call(ctx: Ctx, meeting: MeetingDep, act: ChairAct) -> MeetingStatusResponse:
    """Close the call now and draft the agenda from the questions."""
    base_url = ctx.settings.public_url
    controls.close_now(ctx.session, meeting=meeting, base_url=base_url, **act.by)
    return answer(ctx, meeting)
