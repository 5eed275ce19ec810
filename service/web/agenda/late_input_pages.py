"""The late-input page of a meeting: questions sent after the deadline, parked or declined."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.agenda import late_input
from service.meetings import meetings
from service.web.agenda.schemas import LateDecisionDep
from service.web.meetings.pages import MEETING
from service.web.scope import At, Chair, ChairAct, MeetingAt
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix=MEETING + "/late-input")


def late_input_view(ctx: Context, at: MeetingAt) -> Response:
    """The late questions still waiting, each with park and decline."""
    return ctx.render(
        "pages/late_input.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "rows": late_input.waiting_named(ctx.session, meeting_id=at.meeting_id),
            "next_meeting": meetings.next_meeting(ctx.session, meeting=at.meeting, now=ctx.now),
        },
    )


@router.get("", response_class=HTMLResponse)
def late_input_page(ctx: Ctx, at: At, _chair: Chair) -> Response:
    """The late questions still waiting, each with park and decline."""
    return late_input_view(ctx, at)


@router.post("/{submission_id}/{decision}", dependencies=[CsrfChecked])
def decide_page(ctx: Ctx, at: At, late: LateDecisionDep, act: ChairAct) -> Response:
    """Park a late question for the group's next meeting, or decline it; it stays on record."""
    page = ctx.path("late_input_page", slug=at.group.slug, meeting_id=at.meeting_id)
    notice = "parked" if late["decision"] is late_input.Decision.park else "declined"
    return ctx.act(
        lambda: late_input.decide(ctx.session, **late, **act.by),
        done=done(page, notice),
        refused=again(late_input_view, ctx, at),
    )
