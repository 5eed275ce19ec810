"""The attendance page of a meeting: the group's chair and the secretariat note who was there."""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from models.errors import N_, DomainError
from models.meetings import AttendanceEntry, AttendanceStatus
from service.access.permissions import Access, Principal, allows
from service.audit import Actor
from service.directory import groups
from service.i18n import error_message, translations
from service.minutes import attendance
from service.web import labels, language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.meeting_page import meeting_in_group
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
PATH = "/groups/{slug}/meetings/{meeting_id}/attendance"
FIELD_PREFIX = "person-"


async def _choices(request: Request) -> list[tuple[str, str]]:
    """The form's choices: one radio group `person-<id>` per person, so the names vary."""
    form = await request.form()  # already read (and cached) by the CSRF check
    return [
        (name, value)
        for name, value in form.multi_items()
        if name.startswith(FIELD_PREFIX) and isinstance(value, str)
    ]


Choices = Annotated[list[tuple[str, str]], Depends(_choices)]


def _entries(choices: Iterable[tuple[str, str]]) -> list[AttendanceEntry]:
    """The chosen statuses as entries, or a refusal when a field was tampered with."""
    try:
        return [
            AttendanceEntry(
                person_id=int(name.removeprefix(FIELD_PREFIX)), status=AttendanceStatus(value)
            )
            for name, value in choices
        ]
    except (ValueError, ValidationError) as error:
        raise DomainError(
            N_("Choose present, excused or absent for each person."), field="attendance"
        ) from error


def _page(
    request: Request,
    session: Session,
    settings: SettingsDep,
    now: datetime,
    slug: str,
    meeting_id: int,
    principal: Principal | None,
    *,
    chosen: dict[str, str] | None = None,
    saved: bool = False,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    meeting = meeting_in_group(session, slug, meeting_id)
    group = groups.get_by_slug(session, slug=slug)
    gettext = translations(language.of_request(request)).gettext
    lines = attendance.sheet(session, meeting_id=meeting_id)
    status_names = labels.translated(labels.ATTENDANCE_STATUS, gettext)
    counts = {status.value: 0 for status in AttendanceStatus}
    for line in lines:
        if line.status is not None:
            counts[line.status.value] += 1
    return render(
        request,
        settings,
        "pages/attendance.html",
        {
            "group": group,
            "meeting": meeting,
            "editable": [line for line in lines if line.editable],
            "others": [line for line in lines if not line.editable],
            "counts": counts,
            "statuses": list(status_names.items()),
            "status_names": status_names,
            # What the person chose, kept when the form is refused, else what is recorded.
            "chosen": chosen
            or {
                f"{FIELD_PREFIX}{line.person_id}": line.status.value
                for line in lines
                if line.editable and line.status is not None
            },
            "field_prefix": FIELD_PREFIX,
            "open": attendance.is_open(meeting, now=now),
            "can_write": allows(Access.group_chair, principal, writes=True, group_id=group.id),
            "saved": saved,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(PATH, response_class=HTMLResponse)
def attendance_page(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    saved: Annotated[bool, Query()] = False,
) -> Response:
    """Everyone in the group on the meeting's day, with a choice each: present, excused, absent."""
    return _page(request, session, settings, now, slug, meeting_id, principal, saved=saved)


@router.post(PATH, dependencies=[CsrfChecked])
def record(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    choices: Choices,
) -> Response:
    """Save the choices made; people left without a choice stay as they were."""
    meeting_in_group(session, slug, meeting_id)
    try:
        attendance.record(
            session,
            meeting_id=meeting_id,
            entries=_entries(choices),
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )
    except DomainError as refused:
        session.rollback()
        return _page(
            request,
            session,
            settings,
            now,
            slug,
            meeting_id,
            principal,
            chosen=dict(choices),
            error=error_message(refused, language.of_request(request)),
            status_code=422,
        )
    return RedirectResponse(
        f"/groups/{slug}/meetings/{meeting_id}/attendance?saved=true", status_code=303
    )
