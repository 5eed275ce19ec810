"""The JSON API for a meeting's agenda: the draft, its review operations, and publication."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaItemStatus, AgendaVersion
from models.errors import N_, DomainError, NotFound
from models.organisations import Organisation
from service.access.permissions import Access, Principal
from service.agenda import drafts, review
from service.audit import Actor
from service.directory import groups
from service.meetings import meetings
from service.web.api import _ERRORS
from service.web.deps import IdPath, NowDep, SessionDep
from service.web.security import require, signed_in

router = APIRouter(
    prefix="/api/groups/{slug}/meetings/{meeting_id}/agenda", tags=["agenda"], responses=_ERRORS
)
Chair = Annotated[Principal | None, require(Access.group_chair)]


class SourceResponse(BaseModel):
    """A question an item came from, named by organisation, never by person."""

    submission_id: int
    organisation: str
    rank: int
    question: str


class ItemResponse(BaseModel):
    """One agenda item."""

    id: int
    position: int
    item_key: int
    title: str
    description: str | None
    kind: str
    status: str
    duration_minutes: int
    score: float | None
    sources: list[SourceResponse]


class VersionResponse(BaseModel):
    """One version of a meeting's agenda: 0 is the draft, 1 and up are publications."""

    id: int
    meeting_id: int
    number: int
    status: str
    created_at: datetime
    published_at: datetime | None
    change_summary: str | None
    items: list[ItemResponse]


class ItemChange(BaseModel):
    """What to change about an item; fields left out stay as they are."""

    title: str | None = Field(default=None, max_length=1000)
    duration_minutes: int | None = Field(default=None, ge=0, le=600)
    status: AgendaItemStatus | None = None
    position: int | None = Field(default=None, ge=1, le=1000)


class NewItem(BaseModel):
    """An item added by hand."""

    title: str = Field(max_length=1000)
    duration_minutes: int = Field(default=10, ge=0, le=600)


class MergeRequest(BaseModel):
    """Fold item_id's questions into into_item_id."""

    item_id: int = Field(ge=1, le=2_147_483_647)
    into_item_id: int = Field(ge=1, le=2_147_483_647)


class SplitRequest(BaseModel):
    """The questions to take out of an item into a new one."""

    submission_ids: list[int] = Field(min_length=1, max_length=100)


class PublishRequest(BaseModel):
    """An optional note for members about this version."""

    note: str | None = Field(default=None, max_length=4000)


def meeting_of_group(session: Session, *, slug: str, meeting_id: int) -> int:
    """The meeting's id, refusing a meeting of another group."""
    group = groups.get_by_slug(session, slug=slug)
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.group_id != group.id:
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return meeting_id


def version_response(session: Session, version: AgendaVersion) -> VersionResponse:
    """A version with its items and where each came from."""
    assert version.id is not None
    rows = drafts.items(session, version_id=version.id)
    linked = drafts.sources(session, item_ids=[r.id for r in rows if r.id is not None])
    organisation_ids = {s.organisation_id for found in linked.values() for s in found}
    names = {
        o.id: o.name
        for o in session.exec(
            select(Organisation).where(col(Organisation.id).in_(organisation_ids))
        )
    }
    return VersionResponse(
        id=version.id,
        meeting_id=version.meeting_id,
        number=version.number,
        status=version.status.value,
        created_at=version.created_at,
        published_at=version.published_at,
        change_summary=version.change_summary,
        items=[
            ItemResponse(
                id=r.id or 0,
                position=r.position,
                item_key=r.item_key,
                title=r.title,
                description=r.description,
                kind=r.kind.value,
                status=r.status.value,
                duration_minutes=r.duration_minutes,
                score=r.score,
                sources=[
                    SourceResponse(
                        submission_id=s.id or 0,
                        organisation=names[s.organisation_id],
                        rank=s.rank,
                        question=s.question,
                    )
                    for s in linked[r.id or 0]
                ],
            )
            for r in rows
        ],
    )


def _draft_response(session: Session, meeting_id: int) -> VersionResponse:
    return version_response(session, review.require_draft(session, meeting_id=meeting_id))


@router.get("", dependencies=[require(Access.group_read)])
def published_agenda(slug: str, meeting_id: IdPath, session: SessionDep) -> VersionResponse:
    """The newest published agenda of a meeting."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None:
        raise NotFound(N_("This meeting's agenda has not been published yet."), field="meeting")
    return version_response(session, version)


@router.get("/draft", dependencies=[require(Access.group_chair)])
def draft_agenda(slug: str, meeting_id: IdPath, session: SessionDep) -> VersionResponse:
    """The draft under review, with scores and the organisations behind each item."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    return _draft_response(session, meeting_id)


@router.post("/draft", status_code=201)
def build_draft(
    slug: str, meeting_id: IdPath, session: SessionDep, now: NowDep, principal: Chair
) -> VersionResponse:
    """Draft the agenda from the meeting's closed call (again: the same draft)."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()
    if call is None or call.id is None:
        raise DomainError(N_("This meeting has no call for input."), field="meeting")
    version = drafts.build_draft(
        session, call_id=call.id, actor=Actor.of(signed_in(principal).person), now=now
    )
    return version_response(session, version)


@router.patch("/draft/items/{item_id}")
def change_item(
    slug: str,
    meeting_id: IdPath,
    item_id: IdPath,
    change: ItemChange,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> VersionResponse:
    """Rename, set the duration or status of, or move an item of the draft."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    actor = Actor.of(signed_in(principal).person)
    common = {"meeting_id": meeting_id, "item_id": item_id, "actor": actor, "now": now}
    with session.begin_nested():  # all of the changes or none
        if change.title is not None:
            review.rename(session, title=change.title, **common)  # type: ignore[arg-type]
        if change.duration_minutes is not None:
            review.set_duration(session, minutes=change.duration_minutes, **common)  # type: ignore[arg-type]
        if change.status is not None:
            review.set_status(session, status=change.status, **common)  # type: ignore[arg-type]
        if change.position is not None:
            review.move_to(session, position=change.position, **common)  # type: ignore[arg-type]
    return _draft_response(session, meeting_id)


@router.post("/draft/items", status_code=201)
def add_item(
    slug: str,
    meeting_id: IdPath,
    body: NewItem,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> VersionResponse:
    """Add an item by hand (a guest speaker, a point of the chair's), before the closing items."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    review.add(
        session,
        meeting_id=meeting_id,
        title=body.title,
        minutes=body.duration_minutes,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _draft_response(session, meeting_id)


@router.post("/draft/merge")
def merge_items(
    slug: str,
    meeting_id: IdPath,
    body: MergeRequest,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> VersionResponse:
    """Fold one item's questions into another."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    review.merge(
        session,
        meeting_id=meeting_id,
        item_id=body.item_id,
        into_id=body.into_item_id,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _draft_response(session, meeting_id)


@router.post("/draft/items/{item_id}/split")
def split_item(
    slug: str,
    meeting_id: IdPath,
    item_id: IdPath,
    body: SplitRequest,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> VersionResponse:
    """Take some questions out of an item into a new one."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    review.split(
        session,
        meeting_id=meeting_id,
        item_id=item_id,
        submission_ids=body.submission_ids,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _draft_response(session, meeting_id)


@router.post("/publish", status_code=201)
def publish(
    slug: str,
    meeting_id: IdPath,
    body: PublishRequest,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> VersionResponse:
    """Publish the draft as the next version; members hear what changed from version 2 on."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    version = review.publish(
        session,
        meeting_id=meeting_id,
        note=body.note,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return version_response(session, version)
