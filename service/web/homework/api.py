"""The JSON API of a group's homework: list, set, the summary, late answers and decisions."""

from datetime import datetime
from typing import Any

from fastapi.responses import Response

from service.homework import assignments, files, late, summary
from service.homework.summary import Summary
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.forms import Read
from service.web.homework.schemas import AnswerFilePathDep, AssignmentRequest, LateDecisionDep
from service.web.materials.files import ShelfDep, download
from service.web.scope import Chair, ChairAct, GroupDep, Reader, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/homework", "homework")


class AssignmentOut(Read):
    """An assignment: its meeting, deadline, mode, and how many answered so far."""

    id: int
    meeting_id: int
    title: str
    mode: str
    deadline: datetime
    summarised_at: datetime | None
    answered: int
    asked: int


def _assignment(listed: assignments.Listed) -> AssignmentOut:
    row = listed.assignment
    return AssignmentOut(
        id=id_of(row), meeting_id=row.meeting_id, title=row.title, mode=row.mode.value,
        deadline=row.deadline, summarised_at=row.summarised_at, answered=listed.answered,
        asked=listed.asked,
    )  # fmt: skip


@router.get("")
def list_homework(ctx: Ctx, group: GroupDep, _reader: Reader) -> list[AssignmentOut]:
    """The group's homework, newest first."""
    return [
        _assignment(row)
        for row in assignments.listing(ctx.session, group_id=id_of(group), now=ctx.now)
    ]


@router.post("", status_code=201)
def set_homework(
    ctx: Ctx, group: GroupDep, body: AssignmentRequest, act: ChairAct
) -> AssignmentOut:
    """Set homework for the group's next meeting."""
    made = assignments.set_assignment(
        ctx.session, group_id=id_of(group), assignment_in=body.assignment_in(), **act.then
    )
    listed = assignments.listing(ctx.session, group_id=id_of(group), now=ctx.now)
    return _assignment(next(row for row in listed if row.assignment.id == made.id))


class QuestionSummaryOut(Read):
    """One question: the answers per organisation, counts, number statistics, text groups."""

    position: int
    kind: str
    prompt: str
    choices: list[str]
    answers: dict[str, Any]
    counts: dict[str, float]
    numbers: dict[str, float]
    groups: list[list[dict[str, str]]]


class SummaryOut(Read):
    """The summary as the answers count now."""

    title: str
    deadline: datetime
    summarised_at: datetime | None
    answered: list[str]
    # Per answerer, its answer's id: a file answer is at files/{answer_id}/{question_id}.
    answer_ids: dict[str, int]
    silent: list[str]
    questions: list[QuestionSummaryOut]


def _summary(built: Summary) -> SummaryOut:
    return SummaryOut(
        title=built.assignment.title,
        deadline=built.assignment.deadline,
        summarised_at=built.assignment.summarised_at,
        answered=list(built.answered),
        answer_ids=dict(zip(built.answered, built.answer_ids, strict=True)),
        silent=list(built.silent),
        questions=[
            QuestionSummaryOut(
                position=p.question.position,
                kind=p.question.kind.value,
                prompt=p.question.prompt,
                choices=list(p.question.choices),
                answers=dict(p.cells),
                counts={}
                if p.question.kind.value == "number"
                else {b.label: b.value for b in p.bars},
                numbers=p.numbers,
                groups=[[{"organisation": c, "text": t} for c, t in g.answers] for g in p.groups],
            )
            for p in built.questions
        ],
    )


@router.get("/{assignment_id}")
def homework_summary(
    ctx: Ctx, group: GroupDep, assignment_id: IdPath, _reader: Reader
) -> SummaryOut:
    """The summary of one assignment."""
    assignments.in_group(ctx.session, group_id=id_of(group), assignment_id=assignment_id)
    return _summary(summary.build(ctx.session, assignment_id=assignment_id, now=ctx.now))


@router.get("/{assignment_id}/files/{answer_id}/{question_id}")
def homework_answer_file_api(
    ctx: Ctx, group: GroupDep, at: AnswerFilePathDep, shelf: ShelfDep, reader: Reader
) -> Response:
    """A file sent as an answer (chair, secretariat, its own organisation)."""
    kept = files.answer_file(
        ctx.session, group_id=id_of(group), assignment_id=at.assignment_id, answer_id=at.answer_id,
        question_id=at.question_id, principal=reader,
    )  # fmt: skip
    return download(shelf, kept, ctx.request)


class LateAnswerOut(Read):
    """A late answer waiting for a decision."""

    revision_id: int
    organisation: str
    saved_at: datetime
    status: str
    answers: dict[str, Any]


def _late(row: late.Waiting) -> LateAnswerOut:
    return LateAnswerOut(
        revision_id=id_of(row.revision), organisation=row.organisation,
        saved_at=row.revision.saved_at, status=row.revision.status.value,
        answers=row.revision.answers,
    )  # fmt: skip


@router.get("/{assignment_id}/late")
def late_homework(
    ctx: Ctx, group: GroupDep, assignment_id: IdPath, _chair: Chair
) -> list[LateAnswerOut]:
    """The late answers that wait for a decision."""
    assignments.in_group(ctx.session, group_id=id_of(group), assignment_id=assignment_id)
    return [_late(row) for row in late.waiting(ctx.session, assignment_id=assignment_id)]


@router.post("/{assignment_id}/late/{revision_id}/{decision}")
def decide_late_homework(ctx: Ctx, decision: LateDecisionDep, act: ChairAct) -> LateAnswerOut:
    """Accept a late answer (it counts) or decline it (kept on record)."""
    row = late.decide(ctx.session, **decision, **act.by)
    answer = late.Waiting(row, "")
    return _late(answer).model_copy(update={"organisation": late.organisation_of(ctx.session, row)})
