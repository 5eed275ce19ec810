"""The chair's and secretariat's controls of a meeting's call, on the meeting page."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.agenda import calls, controls
from service.web.agenda.schemas import CallSettingsRequest, ExtendForm
from service.web.forms import FromForm
from service.web.meetings.pages import MEETING, meeting_refused
from service.web.scope import At, ChairAct
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, done

router = APIRouter(prefix=MEETING + "/call", dependencies=[CsrfChecked])


def _done(ctx: Context, at: "At", notice: str) -> str:
    return done(ctx.path("meeting_page", slug=at.group.slug, meeting_id=at.meeting_id), notice)


@router.post("/open")
def open_call_page(ctx: Ctx, at: At, act: ChairAct) -> Response:
    """Open the call for input now and email every member their link."""
    policy = calls.CallPolicy.of(ctx.settings)
    return ctx.act(
        lambda: controls.open_now(ctx.session, meeting=at.meeting, policy=policy, **act.then),
        done=_done(ctx, at, "call_opened"),
        refused=meeting_refused(ctx, at.meeting),
    )


@router.post("/extend")
def extend_call_page(ctx: Ctx, at: At, form: FromForm[ExtendForm], act: ChairAct) -> Response:
    """Move the call's deadline (Brussels wall-clock time from the form)."""
    return ctx.act(
        lambda: controls.move_deadline(
            ctx.session, meeting=at.meeting, deadline=form.deadline, **act.then
        ),
        done=_done(ctx, at, "call_extended"),
        refused=meeting_refused(ctx, at.meeting),
    )


@router.post("/close")
def close_call_page(ctx: Ctx, at: At, act: ChairAct) -> Response:
    """Close the call now, before its deadline, and draft the agenda."""
    base_url = ctx.settings.public_url
    return ctx.act(
        lambda: controls.close_now(ctx.session, meeting=at.meeting, base_url=base_url, **act.by),
        done=_done(ctx, at, "call_closed"),
        refused=meeting_refused(ctx, at.meeting),
    )


@router.post("/settings")
def configure_call_page(
    ctx: Ctx, at: At, form: FromForm[CallSettingsRequest], act: ChairAct
) -> Response:
    """Set the guidance and the number of questions; before the call opens, its email has them."""
    return ctx.act(
        lambda: controls.configure(ctx.session, meeting=at.meeting, **form.args(), **act.by),
        done=_done(ctx, at, "call_configured"),
        refused=meeting_refused(ctx, at.meeting),
    )
