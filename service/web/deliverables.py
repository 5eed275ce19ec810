"""A group's decisions and deliverables: read by the group, recorded by chair and secretariat."""

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.deliverables import DecisionCreate, DeliverableCreate, DeliverableStatus
from models.errors import N_, DomainError, NotFound
from models.people import Person
from service.access.permissions import Access, Principal, allows
from service.audit import Actor
from service.clock import local_today
from service.deliverables import deliverables, rag
from service.directory import groups
from service.i18n import error_message, translations
from service.meetings import meetings
from service.minutes import minutes
from service.web import labels, language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
OptionalId = Annotated[int | None, Form(ge=1, le=2_147_483_647)]


def _page(
    request: Request,
    session: Session,
    settings: SettingsDep,
    slug: str,
    principal: Principal | None,
    now: datetime,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None
    today = local_today(now)
    reader = language.of_request(request)
    gettext = translations(reader).gettext
    items = deliverables.for_group(session, group_id=group.id)
    histories = {d.id: deliverables.history(session, deliverable_id=d.id or 0) for d in items}
    people_ids = {d.accountable_person_id for d in items} | {
        c.changed_by_id for changes in histories.values() for c in changes
    }
    people = (session.get(Person, i) for i in people_ids if i is not None)
    group_meetings = meetings.for_group(session, group_id=group.id)
    return render(
        request,
        settings,
        "pages/deliverables.html",
        {
            "group": group,
            "items": items,
            "histories": histories,
            "slips": {d.id: deliverables.slip(d, histories[d.id]) for d in items},
            "colours": {d.id: rag.colour(d, today) for d in items},
            "names": {p.id: p.name for p in people if p is not None and p.erased_at is None},
            "decisions": deliverables.decisions_for_group(session, group_id=group.id),
            "meetings": {m.id: m for m in group_meetings},
            "held": [m for m in group_meetings if m.status.value == "held"],
            "agenda": {
                m.id: minutes.published_agenda(session, meeting_id=m.id or 0)
                for m in group_meetings
                if m.status.value == "held"
            },
            "statuses": [s.value for s in DeliverableStatus],
            "status_names": labels.translated(labels.DELIVERABLE_STATUS, gettext),
            "colour_names": labels.translated(labels.COLOURS, gettext),
            "field_names": labels.translated(labels.DELIVERABLE_FIELD, gettext),
            "readable": partial(labels.history_value, gettext=gettext, language=reader),
            "can_write": allows(Access.group_chair, principal, writes=True, group_id=group.id),
            "error": error,
            "today": today,
        },
        status_code=status_code,
    )


@router.get("/groups/{slug}/deliverables", response_class=HTMLResponse)
def deliverables_page(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.group_read)],
) -> Response:
    """The group's decisions and deliverables, with every slip and its reason."""
    return _page(request, session, settings, slug, principal, now)


def _run(
    request: Request,
    session: Session,
    settings: SettingsDep,
    slug: str,
    principal: Principal | None,
    now: datetime,
    change: Callable[[Actor], object],
) -> Response:
    actor = Actor.of(signed_in(principal).person)
    try:
        change(actor)
    except DomainError as error:
        session.rollback()
        return _page(
            request,
            session,
            settings,
            slug,
            principal,
            now,
            error=error_message(error, language.of_request(request)),
            status_code=422,
        )
    return RedirectResponse(f"/groups/{slug}/deliverables", status_code=303)


def _in_group(session: Session, slug: str, deliverable_id: int) -> None:
    group = groups.get_by_slug(session, slug=slug)
    if deliverables.get(session, deliverable_id=deliverable_id).group_id != group.id:
        raise NotFound(N_("Unknown deliverable: %(id)s."), field="deliverable", id=deliverable_id)


def _emails(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


@router.post("/groups/{slug}/deliverables", dependencies=[CsrfChecked])
def create(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    title: Annotated[str, Form(min_length=2, max_length=300)],
    due: Annotated[str, Form(max_length=20)],
    accountable_email: Annotated[str, Form(max_length=254)] = "",
    accountable_organisation: Annotated[str, Form(max_length=60)] = "",
    contributors: Annotated[str, Form(max_length=2000)] = "",
    description: Annotated[str, Form(max_length=8000)] = "",
    meeting_id: OptionalId = None,
    agenda_item_id: OptionalId = None,
    decision_id: OptionalId = None,
) -> Response:
    """Record a deliverable, directly or from a meeting's minutes."""

    def record(actor: Actor) -> None:
        due_on, precision = deliverables.parse_due(due)
        deliverables.create(
            session,
            deliverable_in=DeliverableCreate(
                group=slug,
                title=title,
                description=description.strip() or None,
                accountable_email=accountable_email.strip() or None,
                accountable_organisation=accountable_organisation.strip() or None,
                due_on=due_on,
                due_precision=precision,
                meeting_id=meeting_id,
                agenda_item_id=agenda_item_id,
                decision_id=decision_id,
                contributor_emails=_emails(contributors),
            ),
            actor=actor,
            now=now,
        )

    return _run(request, session, settings, slug, principal, now, record)


@router.post("/groups/{slug}/deliverables/{deliverable_id}/status", dependencies=[CsrfChecked])
def change_status(
    request: Request,
    slug: str,
    deliverable_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    status: Annotated[DeliverableStatus, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
    delivered_on: Annotated[date | None, Form()] = None,
) -> Response:
    """Change a deliverable's status; blocked and dropped need a reason."""
    _in_group(session, slug, deliverable_id)
    return _run(
        request,
        session,
        settings,
        slug,
        principal,
        now,
        lambda actor: deliverables.change_status(
            session,
            deliverable_id=deliverable_id,
            status=status,
            reason=reason,
            delivered_on=delivered_on,
            actor=actor,
            now=now,
        ),
    )


@router.post("/groups/{slug}/deliverables/{deliverable_id}/due", dependencies=[CsrfChecked])
def change_due(
    request: Request,
    slug: str,
    deliverable_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    due: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Move a due date, with the reason; the old date stays in the history."""
    _in_group(session, slug, deliverable_id)

    def move(actor: Actor) -> None:
        due_on, precision = deliverables.parse_due(due)
        deliverables.change_due(
            session,
            deliverable_id=deliverable_id,
            due_on=due_on,
            precision=precision,
            reason=reason,
            actor=actor,
            now=now,
        )

    return _run(request, session, settings, slug, principal, now, move)


@router.post("/groups/{slug}/deliverables/{deliverable_id}/progress", dependencies=[CsrfChecked])
def change_progress(
    request: Request,
    slug: str,
    deliverable_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    progress: Annotated[int, Form(ge=0, le=100)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record how far along a deliverable is."""
    _in_group(session, slug, deliverable_id)
    return _run(
        request,
        session,
        settings,
        slug,
        principal,
        now,
        lambda actor: deliverables.change_progress(
            session,
            deliverable_id=deliverable_id,
            progress=progress,
            note=note,
            actor=actor,
            now=now,
        ),
    )


@router.post("/groups/{slug}/decisions", dependencies=[CsrfChecked])
def record_decision(
    request: Request,
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    text: Annotated[str, Form(min_length=2, max_length=4000)],
    decided_on: Annotated[date, Form()],
    meeting_id: OptionalId = None,
    agenda_item_id: OptionalId = None,
) -> Response:
    """Record a decision of the group, from a meeting or on its own."""
    return _run(
        request,
        session,
        settings,
        slug,
        principal,
        now,
        lambda actor: deliverables.record_decision(
            session,
            decision_in=DecisionCreate(
                group=slug,
                text=text,
                decided_on=decided_on,
                meeting_id=meeting_id,
                agenda_item_id=agenda_item_id,
            ),
            actor=actor,
            now=now,
        ),
    )
