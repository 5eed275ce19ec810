"""Minutes pages: the secretariat and chair write and approve, members read and comment."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.minutes import MinutesVersion
from service.access.permissions import Access, Principal, allows
from service.clock import BRUSSELS
from service.materials import mentions
from service.minutes import attendance, minutes
from service.web.forms import FromForm
from service.web.minutes.schemas import (
    ApproveRequest,
    BodyRequest,
    CommentRequest,
    CorrectRequest,
    ReviewForm,
    VersionDep,
)
from service.web.scope import At, ChairAct, MeetingAt, MemberPerson, Reader, id_of
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, View, again, done

router = APIRouter()
VERSION = "/groups/{slug}/minutes/{version_id}"


def minutes_view(ctx: Context, at: MeetingAt) -> Response:
    """A meeting's minutes: every version, its comments, and what you may do next."""
    principal: Principal | None = getattr(ctx.request.state, "principal", None)
    group_id = at.group.id
    return ctx.render(
        "pages/minutes.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "view": minutes.view(ctx.session, meeting_id=at.meeting_id),
            "materials": mentions.of_meeting(
                ctx.session, meeting_id=at.meeting_id, slug=at.group.slug, base_url=""
            ),
            "can_write": allows(Access.group_chair, principal, writes=True, group_id=group_id),
            "can_comment": allows(Access.group_member, principal, writes=True, group_id=group_id),
            "attendance_open": attendance.is_open(at.meeting, now=ctx.now),
            # A datetime-local field's value: Brussels wall-clock time.
            "review_until": minutes.proposed_review_deadline(at.group, now=ctx.now)
            .astimezone(BRUSSELS)
            .strftime("%Y-%m-%dT%H:%M"),
        },
    )


def _after(ctx: Context, version: MinutesVersion, notice: str) -> tuple[str, View]:
    """Back to the minutes page of the version's meeting, or that page with the refusal."""
    slug = ctx.request.path_params["slug"]
    page = ctx.path("minutes_page", slug=slug, meeting_id=version.meeting_id)
    at = MeetingAt.of(ctx.session, slug=slug, meeting_id=version.meeting_id)
    return done(page, notice), again(minutes_view, ctx, at)


@router.get("/groups/{slug}/meetings/{meeting_id}/minutes", response_class=HTMLResponse)
def minutes_page(ctx: Ctx, at: At, _reader: Reader) -> Response:
    """A meeting's minutes: every version, its comments, and what you may do next."""
    return minutes_view(ctx, at)


@router.post("/groups/{slug}/meetings/{meeting_id}/minutes", dependencies=[CsrfChecked])
def start_minutes_page(ctx: Ctx, at: At, act: ChairAct) -> Response:
    """Start the minutes, pre-filled from the published agenda and the attendance."""
    page = ctx.path("minutes_page", slug=at.group.slug, meeting_id=at.meeting_id)
    return ctx.act(
        lambda: minutes.start_draft(ctx.session, meeting_id=at.meeting_id, **act.by),
        done=done(page, "minutes_started"),
        refused=again(minutes_view, ctx, at),
    )


@router.post(VERSION + "/edit", dependencies=[CsrfChecked])
def edit_minutes_page(
    ctx: Ctx, version: VersionDep, form: FromForm[BodyRequest], act: ChairAct
) -> Response:
    """Save the text of minutes that are not approved yet."""
    target, refused = _after(ctx, version, "minutes_saved")
    return ctx.act(
        lambda: minutes.edit(ctx.session, version_id=id_of(version), body=form.body, **act.by),
        done=target,
        refused=refused,
    )


@router.post(VERSION + "/review", dependencies=[CsrfChecked])
def send_for_review_page(
    ctx: Ctx, version: VersionDep, form: FromForm[ReviewForm], act: ChairAct
) -> Response:
    """Send the minutes round for comments until a deadline (Brussels time from the form)."""
    target, refused = _after(ctx, version, "minutes_in_review")
    v, base = id_of(version), ctx.settings.public_url
    return ctx.act(
        lambda: minutes.open_review(
            ctx.session, version_id=v, deadline=form.deadline, base_url=base, **act.by
        ),
        done=target,
        refused=refused,
    )


@router.post(VERSION + "/comments", dependencies=[CsrfChecked])
def comment_page(
    ctx: Ctx, version: VersionDep, form: FromForm[CommentRequest], person: MemberPerson
) -> Response:
    """Comment on minutes in review."""
    target, refused = _after(ctx, version, "commented")
    return ctx.act(
        lambda: minutes.comment(
            ctx.session, version_id=id_of(version), person=person, body=form.body, now=ctx.now
        ),
        done=target,
        refused=refused,
    )


@router.post(VERSION + "/approve", dependencies=[CsrfChecked])
def approve_page(
    ctx: Ctx, version: VersionDep, form: FromForm[ApproveRequest], act: ChairAct
) -> Response:
    """Approve the minutes, by the chair or as decided at the next meeting."""
    target, refused = _after(ctx, version, "minutes_approved")
    v, base = id_of(version), ctx.settings.public_url
    return ctx.act(
        lambda: minutes.approve(ctx.session, version_id=v, mode=form.mode, base_url=base, **act.by),
        done=target,
        refused=refused,
    )


@router.post(VERSION + "/correct", dependencies=[CsrfChecked])
def correct_page(
    ctx: Ctx, version: VersionDep, form: FromForm[CorrectRequest], act: ChairAct
) -> Response:
    """Start a correction of approved minutes; the approved text stays readable."""
    target, refused = _after(ctx, version, "minutes_correcting")
    return ctx.act(
        lambda: minutes.correct(
            ctx.session, version_id=id_of(version), reason=form.reason, **act.by
        ),
        done=target,
        refused=refused,
    )
