"""The group page with its meetings, planning a year, and rescheduling, postponing, cancelling."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.dates import DatePrecision
from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.clock import brussels
from service.directory import groups
from service.i18n import error_message, translations
from service.lifecycle import changes
from service.meetings import meetings, planning
from service.web import language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in
from service.web.triggers import Triggers, TriggersDep

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
# Where a change made from the meeting's own page returns to; nothing else is accepted.
Back = Literal["meeting"] | None
BackField = Annotated[Back, Form()]
STATUS_LABELS = {
    "planned": N_("planned"),
    "confirmed": N_("confirmed"),
    "postponed": N_("postponed"),
    "cancelled": N_("cancelled"),
    "held": N_("held"),
}


def _group_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    slug: str,
    principal: Principal | None,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None
    gettext = translations(language.of_request(request)).gettext
    return render(
        request,
        settings,
        "pages/group.html",
        {
            "group": group,
            "meetings": meetings.for_group(session, group_id=group.id),
            "can_edit": principal is not None and principal.manages(group.id),
            "message": message,
            "error": error,
            "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
        },
        status_code=status_code,
    )


@router.get("/groups/{slug}", response_class=HTMLResponse)
def group_page(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal | None, require(Access.group_read)],
) -> Response:
    """A group's meetings, with the secretariat's and chair's changes."""
    return _group_page(request, session, settings, slug, principal)


def _meeting_in_group(session: SessionDep, slug: str, meeting_id: int) -> Meeting:
    group = groups.get_by_slug(session, slug=slug)
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.group_id != group.id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return meeting


def after_change(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    slug: str,
    principal: Principal | None,
    error: DomainError | None,
) -> Response:
    """Back to the group page after a change, or the page again with the refusal (422)."""
    if error is None:
        return RedirectResponse(f"/groups/{slug}", status_code=303)
    session.rollback()
    return _group_page(
        request,
        session,
        settings,
        slug,
        principal,
        error=error_message(error, language.of_request(request)),
        status_code=422,
    )


def _apply(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    slug: str,
    principal: Principal | None,
    change: Callable[[], Meeting],
    after: tuple[BackgroundTasks, Triggers],
    back: Back = None,
) -> Response:
    """Run one change; back to the group page (or the meeting's), or the page with the refusal.

    After the commit, the meeting's due steps (updated or cancelled invitations, the call
    following the meeting) run at once through Prefect instead of at the next quarter hour.
    """
    try:
        meeting = change()
    except DomainError as error:
        return after_change(request, session, settings, slug, principal, error)
    background, triggers = after
    assert meeting.id is not None
    background.add_task(
        triggers.advance_meeting,
        request.app.state.engine,
        meeting_id=meeting.id,
        revision=meeting.revision,
    )
    if back == "meeting":
        return RedirectResponse(f"/groups/{slug}/meetings/{meeting.id}", status_code=303)
    return after_change(request, session, settings, slug, principal, None)


@router.post("/groups/{slug}/meetings/{meeting_id}/reschedule", dependencies=[CsrfChecked])
def reschedule(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    starts_at: Annotated[datetime, Form()],
    duration_minutes: Annotated[int, Form(ge=15, le=600)],
    back: BackField = None,
) -> Response:
    """Move a meeting to a new day and time (Brussels wall-clock time from the form)."""
    _meeting_in_group(session, slug, meeting_id)  # refuses a meeting of another group
    start = brussels(starts_at) if starts_at.tzinfo is None else starts_at
    return _apply(
        request,
        session,
        settings,
        slug,
        principal,
        lambda: changes.reschedule(
            session,
            meeting_id=meeting_id,
            starts_at=start,
            ends_at=start + timedelta(minutes=duration_minutes),
            reason=None,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
        (background, triggers),
        back,
    )


@router.post("/groups/{slug}/meetings/{meeting_id}/postpone", dependencies=[CsrfChecked])
def postpone(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    month: Annotated[str, Form(pattern=r"^\d{4}-\d{2}$")],
    reason: Annotated[str, Form(max_length=1000)],
    back: BackField = None,
) -> Response:
    """Postpone a meeting to a month whose day is not known yet."""
    _meeting_in_group(session, slug, meeting_id)  # refuses a meeting of another group
    year, number = (int(part) for part in month.split("-"))

    def postpone_to_month() -> Meeting:
        if not 1 <= number <= 12:
            raise DomainError(
                N_("Give the month or period the meeting moves to."), field="period_start"
            )
        return changes.postpone(
            session,
            meeting_id=meeting_id,
            period_start=date(year, number, 1),
            precision=DatePrecision.month,
            reason=reason,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )

    return _apply(
        request,
        session,
        settings,
        slug,
        principal,
        postpone_to_month,
        (background, triggers),
        back,
    )


@router.post("/groups/{slug}/meetings/{meeting_id}/cancel", dependencies=[CsrfChecked])
def cancel(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
    reason: Annotated[str, Form(max_length=1000)],
    back: BackField = None,
) -> Response:
    """Cancel a meeting, with a reason."""
    _meeting_in_group(session, slug, meeting_id)  # refuses a meeting of another group
    return _apply(
        request,
        session,
        settings,
        slug,
        principal,
        lambda: changes.cancel(
            session,
            meeting_id=meeting_id,
            reason=reason,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
        (background, triggers),
        back,
    )


@router.get(
    "/groups/{slug}/plan", response_class=HTMLResponse, dependencies=[require(Access.secretariat)]
)
def plan_preview(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    year: int | None = None,
) -> Response:
    """Preview the dates a year's plan would create."""
    group = groups.get_by_slug(session, slug=slug)
    year = year if year and 2000 <= year <= 2100 else now.year + 1
    try:
        planned = planning.preview(session, group_slug=slug, year=year)
        error = None
    except DomainError as refused:
        planned, error = [], error_message(refused, language.of_request(request))
    return render(
        request,
        settings,
        "pages/plan.html",
        {"group": group, "year": year, "planned": planned, "error": error},
    )


@router.post("/groups/{slug}/plan", dependencies=[CsrfChecked])
def plan_save(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    year: Annotated[int, Form(ge=2000, le=2100)],
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> Response:
    """Create the new meetings of the year."""
    try:
        planning.plan_year(
            session,
            group_slug=slug,
            year=year,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )
    except DomainError as error:
        return after_change(request, session, settings, slug, principal, error)
    return RedirectResponse(f"/groups/{slug}", status_code=303)
