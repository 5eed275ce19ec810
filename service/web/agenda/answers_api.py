"""The JSON API for who has answered a meeting's call, and reminding those who have not."""

from datetime import date, datetime

from pydantic import BaseModel

from service.agenda import answers, calls
from service.web.errors import api_router
from service.web.forms import Read
from service.web.scope import Chair, ChairAct, MeetingDep
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/call", "agenda")


class AnswerResponse(Read):
    """One person asked, and how many questions they have sent."""

    person_id: int
    name: str
    answered: bool
    questions: int
    last_sent_at: datetime | None


class OrganisationAnswersResponse(Read):
    """The people asked from one organisation."""

    organisation_id: int
    name: str
    answered: int
    people: list[AnswerResponse]


class CallAnswersResponse(Read):
    """Who was asked for the call and who has answered, per organisation."""

    asked: int
    answered: int
    reminded_on: date | None
    organisations: list[OrganisationAnswersResponse]


class RemindedResponse(BaseModel):
    """How many reminders were queued now (0: everyone was reminded today already)."""

    queued: int


@router.get("/answers")
def call_answers(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> CallAnswersResponse:
    """The people asked for the meeting's questions, per organisation, answered or not yet."""
    found = answers.who_answered(ctx.session, meeting=meeting, now=ctx.now)
    return CallAnswersResponse.model_validate(found)


@router.post("/remind")
def remind_pending(ctx: Ctx, meeting: MeetingDep, act: ChairAct) -> RemindedResponse:
    """Remind those who have not answered; a second time the same day queues nothing."""
    policy = calls.CallPolicy.of(ctx.settings)
    queued = answers.remind_pending(ctx.session, meeting=meeting, policy=policy, now=act.now)
    return RemindedResponse(queued=queued)
