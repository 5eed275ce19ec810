"""The review page of a meeting's draft agenda, for the secretariat and the group's chair."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from models.agenda import AgendaCall, AgendaItemStatus, CallStatus
from models.errors import N_, DomainError
from service.access.permissions import Access, Principal
from service.agenda import drafts, review
from service.audit import Actor
from service.directory import groups
from service.i18n import error_message, translations
from service.meetings import meetings
from service.web import language
from service.web.agenda_api import meeting_of_group, version_response
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
BASE = "/groups/{slug}/meetings/{meeting_id}/agenda"
STATUS_LABELS = {
    "accepted": N_("on the agenda"),
    "proposed": N_("set aside (does not fit yet)"),
    "moved": N_("moved to the next meeting"),
    "dropped": N_("dropped"),
}


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    slug: str,
    meeting_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    gettext = translations(language.of_request(request)).gettext
    draft = drafts.draft(session, meeting_id=meeting_id)
    published = drafts.published(session, meeting_id=meeting_id)
    call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()
    meeting = meetings.get(session, meeting_id=meeting_id)
    return render(
        request,
        settings,
        "pages/agenda_review.html",
        {
            "group": groups.get_by_slug(session, slug=slug),
            "meeting": meeting,
            "draft": version_response(session, draft) if draft else None,
            "published": published,
            "can_build": call is not None and call.status is CallStatus.closed,
            "budget": drafts.budget_minutes(meeting) if meeting.ends_at else None,
            "base": BASE.format(slug=slug, meeting_id=meeting_id),
            "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
            "error": error,
        },
        status_code=status_code,
    )


@router.get(
    BASE + "/review", response_class=HTMLResponse, dependencies=[require(Access.group_chair)]
)
def review_page(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The draft agenda with everything the review can change, and publication."""
    return _page(request, session, settings, slug, meeting_id)


def _apply(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    slug: str,
    meeting_id: int,
    change: Callable[[], object],
) -> Response:
    """Run one change; back to the page, or the page again with the refusal and nothing kept."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    try:
        with session.begin_nested():
            change()
    except DomainError as refused:
        session.rollback()
        message = error_message(refused, language.of_request(request))
        return _page(request, session, settings, slug, meeting_id, error=message, status_code=422)
    return RedirectResponse(BASE.format(slug=slug, meeting_id=meeting_id) + "/review", 303)


@router.post(BASE + "/draft", dependencies=[CsrfChecked])
def build(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> Response:
    """Draft the agenda from the closed call."""

    def build_now() -> None:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()
        if call is None or call.id is None:
            raise DomainError(N_("This meeting has no call for input."), field="meeting")
        drafts.build_draft(
            session, call_id=call.id, actor=Actor.of(signed_in(principal).person), now=now
        )

    return _apply(request, session, settings, slug, meeting_id, build_now)


@router.post(BASE + "/items/{item_id}", dependencies=[CsrfChecked])
def change_item(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    item_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    title: Annotated[str, Form(max_length=1000)],
    duration_minutes: Annotated[int, Form(ge=0, le=600)],
    position: Annotated[int, Form(ge=1, le=1000)],
    status: Annotated[AgendaItemStatus, Form()],
) -> Response:
    """Save an item's title, minutes, place and status."""
    actor = Actor.of(signed_in(principal).person)
    common = {"meeting_id": meeting_id, "item_id": item_id, "actor": actor, "now": now}

    def save() -> None:
        review.rename(session, title=title, **common)  # type: ignore[arg-type]
        review.set_status(session, status=status, **common)  # type: ignore[arg-type]
        review.set_duration(session, minutes=duration_minutes, **common)  # type: ignore[arg-type]
        review.move_to(session, position=position, **common)  # type: ignore[arg-type]

    return _apply(request, session, settings, slug, meeting_id, save)


@router.post(BASE + "/merge", dependencies=[CsrfChecked])
def merge(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    item_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    into_item_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
) -> Response:
    """Fold one item's questions into another."""
    return _apply(
        request,
        session,
        settings,
        slug,
        meeting_id,
        lambda: review.merge(
            session,
            meeting_id=meeting_id,
            item_id=item_id,
            into_id=into_item_id,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
    )


@router.post(BASE + "/items", dependencies=[CsrfChecked])
def add_item(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    title: Annotated[str, Form(max_length=1000)],
    duration_minutes: Annotated[int, Form(ge=0, le=600)],
) -> Response:
    """Add an item by hand, before the closing items."""
    return _apply(
        request,
        session,
        settings,
        slug,
        meeting_id,
        lambda: review.add(
            session,
            meeting_id=meeting_id,
            title=title,
            minutes=duration_minutes,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
    )


@router.post(BASE + "/items/{item_id}/split", dependencies=[CsrfChecked])
def split(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    item_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    submission_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Take the ticked questions out of an item into a new one."""
    return _apply(
        request,
        session,
        settings,
        slug,
        meeting_id,
        lambda: review.split(
            session,
            meeting_id=meeting_id,
            item_id=item_id,
            submission_ids=submission_ids or [],
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
    )


@router.post(BASE + "/publish", dependencies=[CsrfChecked])
def publish(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Approve the draft: publish it as the next version."""
    return _apply(
        request,
        session,
        settings,
        slug,
        meeting_id,
        lambda: review.publish(
            session,
            meeting_id=meeting_id,
            note=note,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        ),
    )
