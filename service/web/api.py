"""The JSON API: the same rules as the pages, for scripts and integrations."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Request
from pydantic import BaseModel
from sqlmodel import select

from models.agenda import AgendaCall, Submission
from models.audit import AuditEntry
from models.meetings import Meeting, MeetingCreate
from service import audit
from service.access import api_keys
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.directory import groups, privacy
from service.meetings import meetings
from service.web.deps import IdPath, NowDep, SessionDep
from service.web.security import require, signed_in
from service.web.triggers import TriggersDep


class ErrorResponse(BaseModel):
    """Every refusal: a message in the reader's language, and the field it is about."""

    detail: str
    field: str | None = None
    fields: list[str] | None = None


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (401, "Not signed in, or the API key is not valid"),
        (403, "Not allowed for your role"),
        (404, "Not found"),
        (422, "The input was refused"),
        (429, "Too many requests"),
        (500, "Something went wrong on our side"),
    )
}
router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)
PrincipalDep = Annotated[Principal | None, require(Access.signed_in)]


class MeResponse(BaseModel):
    """The signed-in person."""

    id: int
    name: str
    language: str
    staff_role: str
    groups: dict[int, list[str]]


class GroupResponse(BaseModel):
    """A working group."""

    slug: str
    short_name: str
    name: str
    kind: str
    status: str


class MeetingResponse(BaseModel):
    """A meeting of a group."""

    id: int
    title: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    revision: int


class SubmissionResponse(BaseModel):
    """A member's question; the author is named by organisation only."""

    id: int
    call_id: int
    organisation_id: int
    rank: int
    question: str
    context: str | None
    status: str


class NewKeyRequest(BaseModel):
    """What to call a new key."""

    label: str


class NewKeyResponse(BaseModel):
    """A new key: the secret is shown this once."""

    id: int
    label: str
    secret: str


@router.get("/me")
def me(principal: PrincipalDep) -> MeResponse:
    """Who you are signed in as, and your roles per group."""
    p = signed_in(principal)
    assert p.person.id is not None
    return MeResponse(
        id=p.person.id,
        name=p.person.name,
        language=p.person.language.value,
        staff_role=p.person.staff_role.value,
        groups={g: sorted(r.value for r in roles) for g, roles in p.group_roles.items()},
    )


@router.get("/me/export")
def export_my_data(session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    """All data about you, as JSON (GDPR articles 15 and 20)."""
    person_id = signed_in(principal).person.id
    assert person_id is not None
    return privacy.export(session, person_id=person_id)


@router.get("/groups", dependencies=[require(Access.signed_in)])
def list_groups(session: SessionDep) -> list[GroupResponse]:
    """Every working group."""
    return [
        GroupResponse(
            slug=g.slug,
            short_name=g.short_name,
            name=g.name,
            kind=g.kind.value,
            status=g.status.value,
        )
        for g in groups.list_all(session)
    ]


def _meeting(m: Meeting) -> MeetingResponse:
    assert m.id is not None
    return MeetingResponse(
        id=m.id,
        title=m.title,
        status=m.status.value,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        revision=m.revision,
    )


@router.get("/groups/{slug}/meetings", dependencies=[require(Access.group_read)])
def group_meetings(slug: str, session: SessionDep) -> list[MeetingResponse]:
    """A group's meetings in time order."""
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None
    return [_meeting(m) for m in meetings.for_group(session, group_id=group.id)]


@router.post("/groups/{slug}/meetings", status_code=201)
def schedule_meeting(
    request: Request,
    slug: str,
    meeting_in: MeetingCreate,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.group_chair)],
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingResponse:
    """Schedule a one-off meeting for a group; its steps start at once."""
    meeting_in.group = slug
    meeting = meetings.schedule_upcoming(
        session, meeting_in=meeting_in, actor=Actor.of(signed_in(principal).person), now=now
    )
    assert meeting.id is not None
    background.add_task(
        triggers.advance_meeting, request.app.state.engine, meeting_id=meeting.id, revision=0
    )
    return _meeting(meeting)


@router.get("/groups/{slug}/submissions", dependencies=[require(Access.group_member)])
def group_submissions(slug: str, session: SessionDep) -> list[SubmissionResponse]:
    """The questions members sent for this group's meetings."""
    group = groups.get_by_slug(session, slug=slug)
    rows = session.exec(
        select(Submission).join(AgendaCall).join(Meeting).where(Meeting.group_id == group.id)
    )
    return [
        SubmissionResponse(
            id=s.id or 0,
            call_id=s.call_id,
            organisation_id=s.organisation_id,
            rank=s.rank,
            question=s.question,
            context=s.context,
            status=s.status.value,
        )
        for s in rows
    ]


@router.get("/audit", dependencies=[require(Access.secretariat)])
def audit_log(session: SessionDep, limit: int = 100) -> list[dict[str, Any]]:
    """The latest changes, newest first (secretariat only)."""
    limit = max(1, min(limit, 1000))
    rows = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))  # type: ignore[union-attr]
    return [audit.snapshot(r) for r in rows]


@router.post("/people/{person_id}/erase")
def erase_person(
    person_id: IdPath,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> dict[str, Any]:
    """Erase a person's personal data everywhere (GDPR article 17)."""
    person = privacy.erase(
        session, person_id=person_id, actor=Actor.of(signed_in(principal).person), now=now
    )
    return {"id": person.id, "erased_at": person.erased_at}


@router.post("/me/api-keys", status_code=201)
def create_api_key(
    body: NewKeyRequest,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> NewKeyResponse:
    """Make a personal API key; the secret is in this answer only."""
    p = signed_in(principal)
    new = api_keys.create(
        session, person=p.person, label=body.label, actor=Actor.of(p.person), now=now
    )
    assert new.key.id is not None
    return NewKeyResponse(id=new.key.id, label=new.key.label, secret=new.secret)


@router.delete("/me/api-keys/{key_id}", status_code=204)
def revoke_api_key(
    key_id: IdPath,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> None:
    """Revoke one of your keys."""
    p = signed_in(principal)
    api_keys.revoke(session, person=p.person, key_id=key_id, actor=Actor.of(p.person), now=now)
