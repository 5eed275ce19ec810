"""The JSON API for minutes: read them, start, edit, send round, comment, approve, correct."""

from service.minutes import minutes
from service.web.errors import api_router
from service.web.minutes.schemas import (
    ApproveRequest,
    BodyRequest,
    CommentRequest,
    CorrectRequest,
    ReviewRequest,
    VersionDep,
    VersionResponse,
    version_response,
)
from service.web.scope import ChairAct, MeetingDep, MemberPerson, Reader, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}", "minutes")
VERSION = "/minutes/{version_id}"


@router.get("/meetings/{meeting_id}/minutes")
def meeting_minutes(ctx: Ctx, meeting: MeetingDep, _reader: Reader) -> list[VersionResponse]:
    """Every version of a meeting's minutes, newest first, with its comments."""
    found = minutes.view(ctx.session, meeting_id=id_of(meeting))
    return [version_response(v, found) for v in found.versions]


@router.post("/meetings/{meeting_id}/minutes", status_code=201)
def start_minutes(ctx: Ctx, meeting: MeetingDep, act: ChairAct) -> VersionResponse:
    """Start the minutes, pre-filled from the published agenda and the attendance."""
    return version_response(minutes.start_draft(ctx.session, meeting_id=id_of(meeting), **act.by))


@router.post(VERSION + "/edit")
def edit_minutes(
    ctx: Ctx, version: VersionDep, body: BodyRequest, act: ChairAct
) -> VersionResponse:
    """Change the text of minutes that are not approved yet."""
    edited = minutes.edit(ctx.session, version_id=id_of(version), body=body.body, **act.by)
    return version_response(edited)


@router.post(VERSION + "/review")
def send_minutes_for_review(
    ctx: Ctx, version: VersionDep, body: ReviewRequest, act: ChairAct
) -> VersionResponse:
    """Send the minutes round to the members for comments until a deadline."""
    v, base = id_of(version), ctx.settings.public_url
    sent = minutes.open_review(
        ctx.session, version_id=v, deadline=body.deadline, base_url=base, **act.by
    )
    return version_response(sent)


@router.post(VERSION + "/comments", status_code=201)
def comment_on_minutes(
    ctx: Ctx, version: VersionDep, body: CommentRequest, person: MemberPerson
) -> VersionResponse:
    """Comment on minutes in review, before their deadline."""
    v = id_of(version)
    minutes.comment(ctx.session, version_id=v, person=person, body=body.body, now=ctx.now)
    found = minutes.view(ctx.session, meeting_id=version.meeting_id)
    return version_response(version, found)


@router.post(VERSION + "/approve")
def approve_minutes(
    ctx: Ctx, version: VersionDep, body: ApproveRequest, act: ChairAct
) -> VersionResponse:
    """Approve the minutes after their review, by the chair or at the group's next meeting."""
    v, base = id_of(version), ctx.settings.public_url
    approved = minutes.approve(ctx.session, version_id=v, mode=body.mode, base_url=base, **act.by)
    return version_response(approved)


@router.post(VERSION + "/correct", status_code=201)
def correct_minutes(
    ctx: Ctx, version: VersionDep, body: CorrectRequest, act: ChairAct
) -> VersionResponse:
    """Start a correction of approved minutes: a new draft; the approved text stays readable."""
    fixed = minutes.correct(ctx.session, version_id=id_of(version), reason=body.reason, **act.by)
    return version_response(fixed)
