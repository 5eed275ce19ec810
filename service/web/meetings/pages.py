"""A meeting's page, scheduling a one-off meeting, and planning a group's year."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from models.errors import DomainError
from models.groups import WorkingGroup
from models.meetings import Meeting
from service.access.permissions import Access, Principal
from service.i18n import error_message
from service.lifecycle import meeting_status, stale_feeds
from service.meetings import meetings, planning
from service.minutes import attendance
from service.replies import answering, expected
from service.web.directory.pages import group_view
from service.web.forms import FromForm
from service.web.meetings.schemas import MeetingForm, PlanRequest
from service.web.scope import ChairAct, GroupDep, MeetingDep, Reader, SecretariatAct
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, View, again, done

router = APIRouter()
MEETING = "/groups/{slug}/meetings/{meeting_id}"


def meeting_view(ctx: Context, meeting: Meeting) -> Response:
    """Where the meeting stands, what is due next, its agenda, history and controls."""
    found = meeting_status.view(ctx.session, meeting=meeting, settings=ctx.settings, now=ctx.now)
    principal: Principal | None = getattr(ctx.request.state, "principal", None)
    runs = {
        "meeting": meeting.flow_run_id,
        "call": found.call.close_flow_run_id if found.call else None,
    }
    return ctx.render(
        "pages/meeting.html",
        {
            "view": found,
            "group": found.group,
            "meeting": meeting,
            "call": found.call,
            "can_edit": principal is not None and principal.manages(meeting.group_id),
            "attendance_open": attendance.is_open(meeting, now=ctx.now),
            "replies": expected.expected(ctx.session, meeting_id=meeting.id)
            if meeting.id and meeting.starts_at
            else None,
            "told": stale_feeds.told_how(ctx.session, meeting_id=meeting.id, now=ctx.now)
            if meeting.id and principal is not None and principal.manages(meeting.group_id)
            else [],
            "answer_url": answering.own_link(
                ctx.session,
                meeting=meeting,
                person=principal.person,
                settings=ctx.settings,
                now=ctx.now,
            )
            if principal is not None
            else None,
            "prefect_runs": {
                name: f"{ctx.settings.prefect_ui}/runs/flow-run/{run_id}"
                for name, run_id in runs.items()
                if run_id
            },
        },
    )


def meeting_refused(ctx: Context, meeting: Meeting) -> View:
    """The meeting page again after a refusal: the `refused` view of a change."""

    def refused() -> Response:
        ctx.session.refresh(meeting)  # the refused change was rolled back
        return meeting_view(ctx, meeting)

    return refused


@router.get(MEETING, response_class=HTMLResponse)
def meeting_page(ctx: Ctx, meeting: MeetingDep, _reader: Reader) -> Response:
    """Where the meeting stands, what is due next, and its history."""
    return meeting_view(ctx, meeting)


@router.post("/groups/{slug}/meetings", dependencies=[CsrfChecked])
def schedule_meeting_page(
    ctx: Ctx, group: GroupDep, form: FromForm[MeetingForm], act: ChairAct
) -> Response:
    """Schedule a one-off meeting (Brussels wall-clock time from the form)."""
    meeting_in = form.to_request().to_create(group.slug)
    return ctx.act(
        lambda: meetings.schedule_upcoming(ctx.session, meeting_in=meeting_in, **act.then),
        done=lambda meeting: done(
            ctx.path("meeting_page", slug=group.slug, meeting_id=meeting.id), "scheduled"
        ),
        refused=again(group_view, ctx, group),
    )


def plan_view(ctx: Context, group: WorkingGroup, year: int, status_code: int = 200) -> Response:
    """The dates a year's plan gives, next to the meetings that exist."""
    try:
        planned, error = planning.preview(ctx.session, group_slug=group.slug, year=year), None
    except DomainError as refused:
        planned, error = [], error_message(refused, ctx.language)
    return ctx.render(
        "pages/plan.html",
        {"group": group, "year": year, "planned": planned, "error": error},
        status_code=status_code,
    )


@router.get(
    "/groups/{slug}/plan", response_class=HTMLResponse, dependencies=[require(Access.secretariat)]
)
def plan_preview(
    ctx: Ctx, group: GroupDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None
) -> Response:
    """Preview the dates a year's plan would create."""
    return plan_view(ctx, group, year or ctx.now.year + 1)


@router.post("/groups/{slug}/plan", dependencies=[CsrfChecked])
def plan_year_page(
    ctx: Ctx, group: GroupDep, form: FromForm[PlanRequest], act: SecretariatAct
) -> Response:
    """Create the new meetings of the year."""
    return ctx.act(
        lambda: planning.plan_year(ctx.session, group_slug=group.slug, year=form.year, **act.by),
        done=done(ctx.path("group_page", slug=group.slug), "planned"),
        refused=again(group_view, ctx, group),
    )
