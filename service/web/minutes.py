"""Minutes pages: the secretariat and chair write and approve, members read and comment."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.errors import N_, DomainError, NotFound
from models.minutes import ApprovalMode, MinutesVersion
from models.people import Person
from service.access.permissions import Access, Principal, allows
from service.audit import Actor
from service.clock import brussels
from service.directory import groups
from service.i18n import error_message
from service.meetings import meetings
from service.minutes import attendance, minutes
from service.web import language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
Member = Annotated[Principal | None, require(Access.group_member)]


def _page(
    request: Request,
    session: Session,
    settings: SettingsDep,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    now: datetime,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    group = groups.get_by_slug(session, slug=slug)
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.group_id != group.id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    all_versions = minutes.versions(session, meeting_id=meeting_id)
    writers = {v.created_by_id for v in all_versions} | {v.approved_by_id for v in all_versions}
    return render(
        request,
        settings,
        "pages/minutes.html",
        {
            "group": group,
            "meeting": meeting,
            "versions": list(reversed(all_versions)),
            "comments": {
                v.id: minutes.comments(session, version_id=v.id or 0) for v in all_versions
            },
            "names": _names(session, writers, all_versions),
            "intact": {v.id: minutes.is_intact(v) for v in all_versions},
            "awaiting": minutes.awaiting_next_meeting(session, meeting_id=meeting_id),
            "can_write": allows(Access.group_chair, principal, writes=True, group_id=group.id),
            "attendance_open": attendance.is_open(meeting, now=now),
            "can_comment": allows(Access.group_member, principal, writes=True, group_id=group.id),
            "now": now,
            "error": error,
        },
        status_code=status_code,
    )


def _names(
    session: Session, ids: set[int | None], versions: list[MinutesVersion]
) -> dict[int, str]:
    wanted = set(ids)
    for version in versions:
        wanted |= {c.person_id for c in minutes.comments(session, version_id=version.id or 0)}
    people = (session.get(Person, i) for i in wanted if i is not None)
    return {p.id: p.name for p in people if p is not None and p.id and p.erased_at is None}


@router.get("/groups/{slug}/meetings/{meeting_id}/minutes", response_class=HTMLResponse)
def minutes_page(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.group_read)],
) -> Response:
    """A meeting's minutes: every version, its comments, and what you may do next."""
    return _page(request, session, settings, slug, meeting_id, principal, now)


def _version_in_group(session: Session, slug: str, version_id: int) -> MinutesVersion:
    group = groups.get_by_slug(session, slug=slug)
    version = minutes.get_version(session, version_id=version_id)
    if meetings.get(session, meeting_id=version.meeting_id).group_id != group.id:
        raise NotFound(N_("Unknown minutes: %(id)s."), field="minutes", id=version_id)
    return version


def _run(
    request: Request,
    session: Session,
    settings: SettingsDep,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    now: datetime,
    change: Callable[[], object],
) -> Response:
    """Run one step; back to the minutes page, or the page again with the refusal."""
    try:
        change()
    except DomainError as error:
        session.rollback()
        return _page(
            request,
            session,
            settings,
            slug,
            meeting_id,
            principal,
            now,
            error=error_message(error, language.of_request(request)),
            status_code=422,
        )
    return RedirectResponse(f"/groups/{slug}/meetings/{meeting_id}/minutes", status_code=303)


@router.post("/groups/{slug}/meetings/{meeting_id}/minutes", dependencies=[CsrfChecked])
def start(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> Response:
    """Start the minutes, pre-filled from the published agenda and the attendance."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.group_id != groups.get_by_slug(session, slug=slug).id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    actor = Actor.of(signed_in(principal).person)
    return _run(
        request,
        session,
        settings,
        slug,
        meeting_id,
        principal,
        now,
        lambda: minutes.start_draft(session, meeting_id=meeting_id, actor=actor, now=now),
    )


def _step(
    request: Request,
    session: Session,
    settings: SettingsDep,
    slug: str,
    version_id: int,
    principal: Principal | None,
    now: datetime,
    change: Callable[[Actor], object],
) -> Response:
    version = _version_in_group(session, slug, version_id)
    actor = Actor.of(signed_in(principal).person)
    return _run(
        request,
        session,
        settings,
        slug,
        version.meeting_id,
        principal,
        now,
        lambda: change(actor),
    )


@router.post("/groups/{slug}/minutes/{version_id}/edit", dependencies=[CsrfChecked])
def edit(
    request: Request,
    slug: str,
    version_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    body: Annotated[str, Form(max_length=200_000)],
) -> Response:
    """Save the text of minutes that are not approved yet."""
    return _step(
        request,
        session,
        settings,
        slug,
        version_id,
        principal,
        now,
        lambda actor: minutes.edit(session, version_id=version_id, body=body, actor=actor, now=now),
    )


@router.post("/groups/{slug}/minutes/{version_id}/review", dependencies=[CsrfChecked])
def review(
    request: Request,
    slug: str,
    version_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    deadline: Annotated[datetime, Form()],
) -> Response:
    """Send the minutes round for comments until a deadline (Brussels time from the form)."""
    until = brussels(deadline) if deadline.tzinfo is None else deadline
    return _step(
        request,
        session,
        settings,
        slug,
        version_id,
        principal,
        now,
        lambda actor: minutes.open_review(
            session,
            version_id=version_id,
            deadline=until,
            base_url=settings.public_url,
            actor=actor,
            now=now,
        ),
    )


@router.post("/groups/{slug}/minutes/{version_id}/comments", dependencies=[CsrfChecked])
def add_comment(
    request: Request,
    slug: str,
    version_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Member,
    body: Annotated[str, Form(max_length=8000)],
) -> Response:
    """Comment on minutes in review."""
    person = signed_in(principal).person
    return _step(
        request,
        session,
        settings,
        slug,
        version_id,
        principal,
        now,
        lambda _actor: minutes.comment(
            session,
            version_id=version_id,
            person=session.get(Person, person.id) or person,
            body=body,
            now=now,
        ),
    )


@router.post("/groups/{slug}/minutes/{version_id}/approve", dependencies=[CsrfChecked])
def approve(
    request: Request,
    slug: str,
    version_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    mode: Annotated[ApprovalMode, Form()],
) -> Response:
    """Approve the minutes, by the chair or as decided at the next meeting."""
    return _step(
        request,
        session,
        settings,
        slug,
        version_id,
        principal,
        now,
        lambda actor: minutes.approve(
            session,
            version_id=version_id,
            mode=mode,
            base_url=settings.public_url,
            actor=actor,
            now=now,
        ),
    )


@router.post("/groups/{slug}/minutes/{version_id}/correct", dependencies=[CsrfChecked])
def correct(
    request: Request,
    slug: str,
    version_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Start a correction of approved minutes; the approved text stays readable."""
    return _step(
        request,
        session,
        settings,
        slug,
        version_id,
        principal,
        now,
        lambda actor: minutes.correct(
            session, version_id=version_id, reason=reason, actor=actor, now=now
        ),
    )
