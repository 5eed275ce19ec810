"""The JSON API for questions: the outcome editor of a meeting, and a group's questions."""

from service.questions import listing, outcomes
from service.web.errors import api_router
from service.web.questions.schemas import (
    ItemOutcomeOut,
    OutcomesRequest,
    QuestionOut,
    editor_out,
    question_out,
)
from service.web.scope import Chair, ChairAct, MeetingDep, Reader, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}", "questions")


@router.get("/meetings/{meeting_id}/outcomes")
def meeting_outcomes(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> list[ItemOutcomeOut]:
    """The items questions led to, the questions behind each and their recorded outcome."""
    return editor_out(outcomes.editor(ctx.session, meeting_id=id_of(meeting)))


@router.put("/meetings/{meeting_id}/outcomes")
def save_outcomes(
    ctx: Ctx, meeting: MeetingDep, body: OutcomesRequest, act: ChairAct
) -> list[ItemOutcomeOut]:
    """Set the outcome of one or more items for all the questions behind them, all or nothing."""
    m = id_of(meeting)
    outcomes.record(ctx.session, meeting_id=m, choices=body.choices(), **act.by)
    return editor_out(outcomes.editor(ctx.session, meeting_id=m))


@router.get("/questions")
def group_questions(ctx: Ctx, slug: str, _reader: Reader) -> list[QuestionOut]:
    """Every question sent for the group's meetings, newest first, with its path."""
    found = listing.for_group(ctx.session, slug=slug)
    return [question_out(p, found) for p in found.paths]
