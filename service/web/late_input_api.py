"""The JSON API for a meeting's late input: list it, park it for the next meeting, decline it."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Session

from models.agenda import Submission
from models.organisations import Organisation
from service.access.permissions import Access, Principal
from service.agenda import late_input
from service.audit import Actor
from service.web.agenda_api import meeting_of_group
from service.web.api import _ERRORS
from service.web.deps import IdPath, NowDep, SessionDep
from service.web.security import require, signed_in

router = APIRouter(
    prefix="/api/groups/{slug}/meetings/{meeting_id}/late-input",
    tags=["agenda"],
    responses=_ERRORS,
)
Chair = Annotated[Principal | None, require(Access.group_chair)]


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


def _response(session: Session, row: Submission) -> LateQuestionResponse:
    organisation = session.get(Organisation, row.organisation_id)
    assert organisation is not None and row.id is not None
    return LateQuestionResponse(
        submission_id=row.id,
        organisation=organisation.name,
        rank=row.rank,
        question=row.question,
        context=row.context,
        received_at=row.submitted_at,
        status=row.status.value,
        parked_for_meeting_id=row.parked_for_meeting_id,
    )


@router.get("", dependencies=[require(Access.group_chair)])
def waiting(slug: str, meeting_id: IdPath, session: SessionDep) -> list[LateQuestionResponse]:
    """The late questions that still wait for a decision."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    return [_response(session, r) for r in late_input.waiting(session, meeting_id=meeting_id)]


@router.post("/{submission_id}/{decision}")
def decide(
    slug: str,
    meeting_id: IdPath,
    submission_id: IdPath,
    decision: late_input.Decision,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> LateQuestionResponse:
    """Park a late question for the group's next meeting, or decline it; it stays on record."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    row = late_input.decide(
        session,
        meeting_id=meeting_id,
        submission_id=submission_id,
        decision=decision,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _response(session, row)
