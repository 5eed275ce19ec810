"""Changing a meeting from its page or the group page: a new time, a postponement, a
cancellation, a new place. Members hear of it at once (the meeting's steps run right after)."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.lifecycle import changes
from service.web.directory.pages import group_view
from service.web.forms import FromForm
from service.web.lifecycle.schemas import (
    Back,
    CancelRequest,
    PlaceRequest,
    PostponeForm,
    RescheduleForm,
)
from service.web.meetings.pages import MEETING, meeting_refused
from service.web.scope import At, ChairAct, MeetingAt
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, View, again, done

router = APIRouter(prefix=MEETING, dependencies=[CsrfChecked])


def _back(ctx: Context, at: MeetingAt, back: Back, notice: str) -> tuple[str, View]:
    """Where a change returns to: the meeting's page if it came from there, else the group's."""
    if back == "meeting":
        page = ctx.path("meeting_page", slug=at.group.slug, meeting_id=at.meeting_id)
        return done(page, notice), meeting_refused(ctx, at.meeting)
    page = ctx.path("group_page", slug=at.group.slug)
    return done(page, notice), again(group_view, ctx, at.group)


@router.post("/reschedule")
def reschedule_page(ctx: Ctx, at: At, form: FromForm[RescheduleForm], act: ChairAct) -> Response:
    """Move a meeting to a new day and time (Brussels wall-clock time from the form)."""
    target, refused = _back(ctx, at, form.back, "rescheduled")
    return ctx.act(
        lambda: changes.reschedule(
            ctx.session, meeting_id=at.meeting_id, **form.args(), **act.then
        ),
        done=target,
        refused=refused,
    )


@router.post("/postpone")
def postpone_page(ctx: Ctx, at: At, form: FromForm[PostponeForm], act: ChairAct) -> Response:
    """Postpone a meeting to a month whose day is not known yet."""
    target, refused = _back(ctx, at, form.back, "postponed")
    return ctx.act(
        lambda: changes.postpone(ctx.session, meeting_id=at.meeting_id, **form.args(), **act.then),
        done=target,
        refused=refused,
    )


@router.post("/cancel")
def cancel_page(ctx: Ctx, at: At, form: FromForm[CancelRequest], act: ChairAct) -> Response:
    """Cancel a meeting, with a reason."""
    target, refused = _back(ctx, at, form.back, "cancelled")
    return ctx.act(
        lambda: changes.cancel(
            ctx.session, meeting_id=at.meeting_id, reason=form.reason, **act.then
        ),
        done=target,
        refused=refused,
    )


@router.post("/place")
def change_place_page(ctx: Ctx, at: At, form: FromForm[PlaceRequest], act: ChairAct) -> Response:
    """Change the room, the online link or the format; invited members get an update."""
    target, refused = _back(ctx, at, "meeting", "place")
    return ctx.act(
        lambda: changes.change_place(
            ctx.session, meeting_id=at.meeting_id, **form.args(), **act.then
        ),
        done=target,
        refused=refused,
    )
