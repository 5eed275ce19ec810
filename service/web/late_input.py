"""The late-input page of a meeting: questions sent after the deadline, parked or declined."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.errors import DomainError
from models.organisations import Organisation
from models.people import Person
from service.access.permissions import Access, Principal
from service.agenda import late_input
from service.audit import Actor
from service.directory import groups
from service.i18n import error_message
from service.meetings import meetings
from service.settings import Settings
from service.web import language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.meeting_page import meeting_in_group
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Chair = Annotated[Principal | None, require(Access.group_chair)]
PATH = "/groups/{slug}/meetings/{meeting_id}/late-input"


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    now: datetime,
    slug: str,
    meeting_id: int,
    *,
    done: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    meeting = meeting_in_group(session, slug, meeting_id)
    group = groups.get_by_slug(session, slug=slug)
    rows = late_input.waiting(session, meeting_id=meeting_id)
    people = {p.id: p for p in (session.get(Person, r.person_id) for r in rows if r.person_id) if p}
    organisations = {
        o.id: o for o in (session.get(Organisation, r.organisation_id) for r in rows) if o
    }
    return render(
        request,
        settings,
        "pages/late_input.html",
        {
            "group": group,
            "meeting": meeting,
            "rows": [
                {
                    "submission": row,
                    "person": people.get(row.person_id) if row.person_id else None,
                    "organisation": organisations[row.organisation_id].name,
                }
                for row in rows
            ],
            "next_meeting": meetings.next_meeting(session, meeting=meeting, now=now),
            "done": done,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(PATH, response_class=HTMLResponse, dependencies=[require(Access.group_chair)])
def late_input_page(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The late questions still waiting, each with park and decline."""
    shown = done if done in ("parked", "declined") else None
    return _page(request, session, settings, now, slug, meeting_id, done=shown)


@router.post(PATH + "/{submission_id}/{decision}", dependencies=[CsrfChecked])
def decide(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    submission_id: IdPath,
    decision: late_input.Decision,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> Response:
    """Park a late question for the group's next meeting, or decline it; it stays on record."""
    meeting_in_group(session, slug, meeting_id)
    try:
        late_input.decide(
            session,
            meeting_id=meeting_id,
            submission_id=submission_id,
            decision=decision,
            actor=Actor.of(signed_in(principal).person),
            now=now,
        )
    except DomainError as refused:
        session.rollback()
        message = error_message(refused, language.of_request(request))
        return _page(
            request, session, settings, now, slug, meeting_id, error=message, status_code=422
        )
    done = "parked" if decision is late_input.Decision.park else "declined"
    return RedirectResponse(
        f"/groups/{slug}/meetings/{meeting_id}/late-input?done={done}", status_code=303
    )
