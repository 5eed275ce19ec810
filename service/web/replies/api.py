"""The JSON API of answers: a meeting's expected attendance, and the messages left unmatched."""

from datetime import datetime

from pydantic import BaseModel

from models.replies import AttendMode, ReplyAnswer, ReplySource, UnmatchedReason
from service.access.permissions import Access
from service.lifecycle import stale_feeds
from service.lifecycle.stale_feeds import Told
from service.replies import expected, unmatched
from service.web.errors import api_router
from service.web.forms import Read
from service.web.scope import Chair, MeetingDep, id_of
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api", "replies")


class ExpectedPerson(Read):
    """One person expected, with the answer that counts (null: not answered)."""

    person_id: int
    name: str
    answer: ReplyAnswer | None
    comment: str | None
    source: ReplySource | None
    received_at: datetime | None
    mode: AttendMode | None
    stand_in: str | None
    stand_in_answer: ReplyAnswer | None


class ExpectedOrganisation(Read):
    """One organisation: its people, and how many accepted, are tentative, declined, send a
    stand-in or said nothing (`none`); `coming` is false when no one comes for it."""

    organisation: str
    people: list[ExpectedPerson]
    counts: dict[str, int]
    coming: bool


class ExpectedResponse(Read):
    """A meeting's expected attendance, by organisation, with totals."""

    meeting_id: int
    organisations: list[ExpectedOrganisation]
    totals: dict[str, int]


class ToldPerson(Read):
    """How one member heard of the meeting's latest change, and when (null: not yet known)."""

    person_id: int
    name: str
    told: Told
    at: datetime | None


class ToldResponse(BaseModel):
    """How each member heard of the meeting's latest change; empty when it never changed."""

    people: list[ToldPerson]


class UnmatchedMessage(Read):
    """A mailbox message left for a person: its folder and IMAP UID, when it came, and why."""

    id: int
    folder: str
    imap_uid: int
    received_at: datetime
    reason: UnmatchedReason | None
    meeting_id: int | None
    meeting_title: str | None
    group_slug: str | None


class UnmatchedResponse(BaseModel):
    """The latest messages left for a person, newest first."""

    messages: list[UnmatchedMessage]


@router.get("/groups/{slug}/meetings/{meeting_id}/replies")
def get_replies(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> ExpectedResponse:
    """Who accepted, is tentative, declined or has not answered, per organisation."""
    found = expected.expected(ctx.session, meeting_id=id_of(meeting))
    return ExpectedResponse.model_validate(found)


@router.get("/groups/{slug}/meetings/{meeting_id}/told")
def get_told(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> ToldResponse:
    """Who heard of the latest change by the updated invitation, a direct mail, or their feed."""
    found = stale_feeds.told_how(ctx.session, meeting_id=id_of(meeting), now=ctx.now)
    return ToldResponse(people=[ToldPerson.model_validate(h) for h in found])


@router.get("/replies/unmatched", dependencies=[require(Access.secretariat)])
def get_unmatched(ctx: Ctx) -> UnmatchedResponse:
    """The messages in the organizer's mailbox that matched no meeting or person, and why."""
    rows = unmatched.listed(ctx.session)
    return UnmatchedResponse(messages=[UnmatchedMessage.model_validate(r) for r in rows])
