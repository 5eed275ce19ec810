"""A person's answer to a meeting as JSON at /api/answer/{token}: the same link, the same rules.

Access rule: public; the signed token in the path is the credential (service.replies.links).
"""

from datetime import datetime

from pydantic import BaseModel, Field

from models.replies import AnswerChoice
from service.replies import answering
from service.replies.answering import Ballot, StandInTyped
from service.web import links
from service.web.forms import ApiBody
from service.web.views import Context, Ctx

router = links.api_router(
    "/api/answer/{token}", "answers", gone="The meeting has started or was called off"
)


class Colleague(BaseModel):
    """A colleague of the same organisation who could stand in."""

    id: int
    name: str


class AnswerResponse(BaseModel):
    """The meeting, the person's answer that counts (null: none yet) and who could stand in."""

    meeting_id: int
    meeting_title: str
    group: str
    starts_at: datetime
    choice: AnswerChoice | None
    stand_in: str | None
    colleagues: list[Colleague]


class AnswerRequest(ApiBody):
    """An answer; for a stand-in, a colleague's id or a name and an email address."""

    choice: AnswerChoice
    stand_in_person_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    stand_in_name: str = Field(default="", max_length=500)
    stand_in_email: str = Field(default="", max_length=500)


def _ballot(ctx: Context, token: str) -> Ballot:
    return links.for_api(ctx, answering.open_ballot, token)


def _response(ballot: Ballot) -> AnswerResponse:
    assert ballot.meeting.id is not None and ballot.meeting.starts_at is not None
    return AnswerResponse(
        meeting_id=ballot.meeting.id,
        meeting_title=ballot.meeting.title,
        group=ballot.group.slug,
        starts_at=ballot.meeting.starts_at,
        choice=ballot.current_choice,
        stand_in=ballot.stand_in.name if ballot.stand_in else None,
        colleagues=[Colleague(id=p.id or 0, name=p.name) for p in ballot.candidates],
    )


@router.get("")
def read_answer(ctx: Ctx, token: str) -> AnswerResponse:
    """The meeting and the answer that counts now."""
    return _response(_ballot(ctx, token))


@router.put("")
def put_answer(ctx: Ctx, token: str, body: AnswerRequest) -> AnswerResponse:
    """Answer (every answer is kept; the last counts); for a stand-in, name them."""
    stand_in = StandInTyped(
        person_id=body.stand_in_person_id, name=body.stand_in_name, email=body.stand_in_email
    )
    answering.record_answer(
        ctx.session,
        ballot=_ballot(ctx, token),
        choice=body.choice,
        stand_in=stand_in,
        settings=ctx.settings,
        now=ctx.now,
    )
    ctx.session.flush()
    return _response(_ballot(ctx, token))
