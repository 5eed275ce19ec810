"""Who has answered a meeting's call, per organisation, and reminding those who have not."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.agenda import answers, calls
from service.clock import BRUSSELS
from service.web.meetings.pages import MEETING
from service.web.scope import At, Chair, ChairAct, MeetingAt
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix=MEETING + "/call")


def answers_view(ctx: Context, at: MeetingAt) -> Response:
    """The people asked, organisation by organisation, and the reminder button."""
    return ctx.render(
        "pages/call_answers.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "view": answers.who_answered(ctx.session, meeting=at.meeting, now=ctx.now),
            "today": ctx.now.astimezone(BRUSSELS).date(),
        },
    )


@router.get("/answers", response_class=HTMLResponse)
def call_answers_page(ctx: Ctx, at: At, _chair: Chair) -> Response:
    """Who has answered the call, per organisation."""
    return answers_view(ctx, at)


@router.post("/remind", dependencies=[CsrfChecked])
def remind_pending_page(ctx: Ctx, at: At, act: ChairAct) -> Response:
    """Remind the people who have not answered (at most once a day)."""
    policy = calls.CallPolicy.of(ctx.settings)
    page = ctx.path("call_answers_page", slug=at.group.slug, meeting_id=at.meeting_id)
    return ctx.act(
        lambda: answers.remind_pending(ctx.session, meeting=at.meeting, policy=policy, now=act.now),
        done=lambda queued: done(page, "reminded" if queued else "reminded_already"),
        refused=again(answers_view, ctx, at),
    )
