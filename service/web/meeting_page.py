"""One meeting: where it stands in its lifecycle, what is due next, its history; and the
secretariat's controls: schedule a one-off meeting, open, extend or close its call."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.agenda import MAX_QUESTIONS_LIMIT
from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting, MeetingCreate, MeetingFormat, MeetingKind
from service.access.permissions import Access, Principal
from service.agenda import calls, drafts, late_input, review
from service.audit import Actor
from service.clock import brussels
from service.directory import groups
from service.i18n import error_message, translations
from service.lifecycle import changes, meeting_status
from service.meetings import meetings
from service.minutes import attendance
from service.web import language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.meetings import STATUS_LABELS, after_change
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in
from service.web.triggers import TriggersDep

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]


def meeting_in_group(session: SessionDep, slug: str, meeting_id: int) -> Meeting:
    """The meeting, refused as unknown when it belongs to another group."""
    group = groups.get_by_slug(session, slug=slug)
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.group_id != group.id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return meeting


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: datetime,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    meeting = meeting_in_group(session, slug, meeting_id)
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None and meeting.id is not None
    gettext = translations(language.of_request(request)).gettext
    runs = {
        "meeting": meeting.flow_run_id,
        "call": (
            call.close_flow_run_id
            if (call := calls.for_meeting(session, meeting_id=meeting.id))
            else None
        ),
    }
    return render(
        request,
        settings,
        "pages/meeting.html",
        {
            "group": group,
            "meeting": meeting,
            "call": call,
            "timeline": meeting_status.timeline(
                session, meeting=meeting, settings=settings, now=now
            ),
            "history": meeting_status.history(session, meeting_id=meeting.id),
            "agenda": _published_agenda(session, meeting_id=meeting.id),
            "can_edit": (can_edit := principal is not None and principal.manages(group.id)),
            "late_waiting": (
                len(late_input.waiting(session, meeting_id=meeting.id)) if can_edit and call else 0
            ),
            "attendance_open": attendance.is_open(meeting, now=now),
            "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
            "prefect_runs": {
                name: f"{settings.prefect_ui}/runs/flow-run/{run_id}"
                for name, run_id in runs.items()
                if run_id
            },
            "now": now,
            "error": error,
        },
        status_code=status_code,
    )


def _published_agenda(session: SessionDep, *, meeting_id: int) -> dict[str, Any] | None:
    """The newest published agenda with the items on it, as everyone in the group sees it."""
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None or version.id is None:
        return None
    rows = review.on_agenda(drafts.items(session, version_id=version.id))
    return {"version": version, "rows": rows}


def _refused(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: datetime,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    refused: DomainError,
) -> Response:
    """Undo the request's changes and show the page again with the refusal (422)."""
    session.rollback()
    message = error_message(refused, language.of_request(request))
    return _page(
        request, session, settings, now, slug, meeting_id, principal, error=message, status_code=422
    )


@router.get("/groups/{slug}/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.group_read)],
) -> Response:
    """Where the meeting stands, what is due next, and its history."""
    return _page(request, session, settings, now, slug, meeting_id, principal)


def _call_change(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: datetime,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    change: Callable[[int], object],
) -> tuple[Response, int | None]:
    """Run a change on the meeting's call; the page again with the refusal, or a redirect."""
    meeting = meeting_in_group(session, slug, meeting_id)
    try:
        call = calls.for_meeting(session, meeting_id=meeting_id) or calls.ensure(
            session, meeting=meeting, actor=Actor.of(signed_in(principal).person), now=now
        )
        assert call.id is not None
        change(call.id)
    except DomainError as refused:
        return _refused(request, session, settings, now, slug, meeting_id, principal, refused), None
    return RedirectResponse(f"/groups/{slug}/meetings/{meeting_id}", status_code=303), call.id


@router.post("/groups/{slug}/meetings/{meeting_id}/call/settings", dependencies=[CsrfChecked])
def configure_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    max_questions: Annotated[int, Form(ge=1, le=MAX_QUESTIONS_LIMIT)],
    guidance: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """Set the guidance and the number of questions; before the call opens, its email has them."""
    actor = Actor.of(signed_in(principal).person)
    response, _ = _call_change(
        request,
        session,
        settings,
        now,
        slug,
        meeting_id,
        principal,
        lambda call_id: calls.configure(
            session,
            call_id=call_id,
            guidance=guidance,
            max_questions=max_questions,
            actor=actor,
            now=now,
        ),
    )
    return response


@router.post("/groups/{slug}/meetings/{meeting_id}/call/open", dependencies=[CsrfChecked])
def open_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> Response:
    """Open the call for input now and email every member their link."""
    actor = Actor.of(signed_in(principal).person)
    response, call_id = _call_change(
        request,
        session,
        settings,
        now,
        slug,
        meeting_id,
        principal,
        lambda call_id: calls.open_call(
            session, call_id=call_id, policy=calls.CallPolicy.of(settings), actor=actor, now=now
        ),
    )
    if call_id is not None:
        background.add_task(triggers.book_closing, request.app.state.engine, call_id=call_id)
        background.add_task(triggers.deliver_now)
    return response


@router.post("/groups/{slug}/meetings/{meeting_id}/call/extend", dependencies=[CsrfChecked])
def extend_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    deadline: Annotated[datetime, Form()],
) -> Response:
    """Move the call's deadline (Brussels wall-clock time from the form)."""
    actor = Actor.of(signed_in(principal).person)
    new_deadline = brussels(deadline) if deadline.tzinfo is None else deadline
    response, call_id = _call_change(
        request,
        session,
        settings,
        now,
        slug,
        meeting_id,
        principal,
        lambda call_id: calls.extend(
            session, call_id=call_id, deadline=new_deadline, actor=actor, now=now
        ),
    )
    if call_id is not None:
        background.add_task(triggers.book_closing, request.app.state.engine, call_id=call_id)
    return response


@router.post("/groups/{slug}/meetings/{meeting_id}/call/close", dependencies=[CsrfChecked])
def close_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> Response:
    """Close the call now, before its deadline."""
    actor = Actor.of(signed_in(principal).person)

    def close_now(call_id: int) -> None:
        if not calls.close(
            session,
            call_id=call_id,
            base_url=settings.public_url,
            actor=actor,
            now=now,
            force=True,
        ):
            raise DomainError(N_("Only an open call can be closed."), field="call")

    response, _ = _call_change(
        request, session, settings, now, slug, meeting_id, principal, close_now
    )
    return response


@router.post("/groups/{slug}/meetings/{meeting_id}/place", dependencies=[CsrfChecked])
def change_place(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    format: Annotated[MeetingFormat, Form()],
    location: Annotated[str | None, Form(max_length=300)] = None,
    join_url: Annotated[str | None, Form(max_length=500)] = None,
    reason: Annotated[str | None, Form(max_length=1000)] = None,
) -> Response:
    """Change the room, the online link or the format; invited members get an update."""
    meeting_in_group(session, slug, meeting_id)
    try:
        meeting = changes.change_place(
            session,
            meeting_id=meeting_id,
            format=format,
            location=location,
            join_url=join_url,
            reason=reason,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )
    except DomainError as refused:
        return _refused(request, session, settings, now, slug, meeting_id, principal, refused)
    background.add_task(
        triggers.advance_meeting,
        request.app.state.engine,
        meeting_id=meeting_id,
        revision=meeting.revision,
    )
    return RedirectResponse(f"/groups/{slug}/meetings/{meeting_id}", status_code=303)


@router.post("/groups/{slug}/meetings", dependencies=[CsrfChecked])
def schedule_meeting(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    title: Annotated[str, Form(min_length=2, max_length=300)],
    starts_at: Annotated[datetime, Form()],
    duration_minutes: Annotated[int, Form(ge=15, le=600)],
    kind: Annotated[MeetingKind, Form()] = MeetingKind.meeting,
    format: Annotated[MeetingFormat, Form()] = MeetingFormat.online,
    location: Annotated[str | None, Form(max_length=300)] = None,
    join_url: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    """Schedule a one-off meeting (Brussels wall-clock time from the form)."""
    start = brussels(starts_at) if starts_at.tzinfo is None else starts_at
    try:
        meeting = meetings.schedule_upcoming(
            session,
            meeting_in=MeetingCreate(
                group=slug,
                title=title.strip(),
                kind=kind,
                format=format,
                location=(location or "").strip() or None,
                join_url=(join_url or "").strip() or None,
                starts_at=start,
                ends_at=start + timedelta(minutes=duration_minutes),
            ),
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )
    except DomainError as refused:
        return after_change(request, session, settings, slug, principal, refused)
    assert meeting.id is not None
    background.add_task(
        triggers.advance_meeting, request.app.state.engine, meeting_id=meeting.id, revision=0
    )
    return RedirectResponse(f"/groups/{slug}/meetings/{meeting.id}", status_code=303)
