"""The JSON API for a meeting's late input: list it, park it for the next meeting, decline it."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from service.agenda import late_input
from service.web.agenda.schemas import LateDecisionDep
from service.web.errors import API_ERRORS
from service.web.scope import Chair, ChairAct, MeetingDep, id_of
from service.web.views import Ctx

router = APIRouter(
    prefix="/api/groups/{slug}/meetings/{meeting_id}/late-input",
    tags=["agenda"],
    responses=API_ERRORS,
)


class LateQuestionResponse(BaseModel):
    """A question sent after the deadline, and what became of it."""

    submission_id: int
    organisation: str
    rank: int
    question: str
    context: str | None
    received_at: datetime
    status: str
    parked_for_meeting_id: int | None


def _response(row: late_input.Waiting) -> LateQuestionResponse:
    submission = row.submission
    return LateQuestionResponse(
        submission_id=id_of(submission),
        organisation=row.organisation,
        rank=submission.rank,
        question=submission.question,
        context=submission.context,
        received_at=submission.submitted_at,
        status=submission.status,
        parked_for_meeting_id=submission.parked_for_meeting_id,
    )


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
