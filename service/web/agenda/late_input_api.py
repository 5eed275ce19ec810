"""The JSON API for a meeting's late input: list it, park it for the next meeting, decline it."""

from datetime import datetime

from pydantic import Field

from service.agenda import late_input
from service.web.agenda.schemas import LateDecisionDep
from service.web.errors import api_router
from service.web.forms import Read
from service.web.scope import Chair, ChairAct, MeetingDep, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/late-input", "agenda")


class LateQuestionResponse(Read):
    """A question sent after the deadline, and what became of it."""

    submission_id: int = Field(validation_alias="id")
    organisation: str = ""
    rank: int
    question: str
    context: str | None
    received_at: datetime = Field(validation_alias="submitted_at")
    status: str
    parked_for_meeting_id: int | None


def _response(row: late_input.Waiting) -> LateQuestionResponse:
    answer = LateQuestionResponse.model_validate(row.submission)
    answer.organisation = row.organisation
    return answer


@router.get("")
def waiting(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> list[LateQuestionResponse]:
    """The late questions that still wait for a decision."""
    return [
        _response(row) for row in late_input.waiting_named(ctx.session, meeting_id=id_of(meeting))
    ]


@router.post("/{submission_id}/{decision}")
def decide(ctx: Ctx, late: LateDecisionDep, act: ChairAct) -> LateQuestionResponse:
    """Park a late question for the group's next meeting, or decline it; it stays on record."""
    row = late_input.decide(ctx.session, **late, **act.by)
    return _response(late_input.named(ctx.session, submission=row))
