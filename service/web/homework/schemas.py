"""What the chair's homework pages and API take: an assignment as typed, a late decision."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypedDict

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from models.errors import N_, DomainError
from models.homework import (
    CHOICE,
    HOMEWORK_TITLE,
    INTRODUCTION,
    MAX_CHOICES,
    MAX_HOMEWORK_QUESTIONS,
    PROMPT,
    AnswerMode,
    QuestionKind,
)
from service.homework import late
from service.homework.assignments import AssignmentIn, QuestionIn
from service.web.deps import IdPath
from service.web.forms import ApiBody, Instant, LocalDateTime
from service.web.scope import GroupDep, id_of

ROWS = MAX_HOMEWORK_QUESTIONS


class QuestionRequest(ApiBody):
    """One question: its kind, what it asks, and the choices for the choosing kinds."""

    kind: QuestionKind
    prompt: str = Field(max_length=PROMPT * 2)
    choices: list[Annotated[str, Field(max_length=CHOICE * 2)]] = Field(
        default_factory=list, max_length=MAX_CHOICES * 2
    )


class AssignmentRequest(ApiBody):
    """Homework for the group's next meeting; no deadline means 5 working days before it."""

    title: str = Field(max_length=HOMEWORK_TITLE * 2)
    introduction: str = Field(default="", max_length=INTRODUCTION * 2)
    mode: AnswerMode = AnswerMode.organisation
    deadline: Instant | None = None
    questions: list[QuestionRequest] = Field(max_length=MAX_HOMEWORK_QUESTIONS + 1)

    def assignment_in(self) -> AssignmentIn:
        """The use case's input."""
        return AssignmentIn(
            title=self.title,
            introduction=self.introduction,
            mode=self.mode,
            deadline=self.deadline,
            questions=tuple(QuestionIn(q.kind, q.prompt, tuple(q.choices)) for q in self.questions),
        )


class _Deadline(BaseModel):
    deadline: LocalDateTime


@dataclass(frozen=True)
class TypedAssignment:
    """The page's form: the fields as typed (kept on a refusal) and the rows they came from."""

    fields: dict[str, str]
    assignment_in: AssignmentIn
    rows: dict[int, int]  # position given -> row of the form
    refusal: DomainError | None


def _deadline(text: str) -> tuple[datetime | None, DomainError | None]:
    if not text.strip():
        return None, None
    try:
        return _Deadline.model_validate({"deadline": text}).deadline, None
    except ValueError:
        return None, DomainError(N_("This is not a valid date and time."), field="deadline")


async def _typed(request: Request) -> TypedAssignment:
    form = await request.form()  # already read (and cached) by the CSRF check
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    questions: list[QuestionIn] = []
    rows: dict[int, int] = {}
    refusal = None
    for row in range(1, ROWS + 1):
        prompt = fields.get(f"prompt_{row}", "")
        if not prompt.strip():
            continue
        try:
            kind = QuestionKind(fields.get(f"kind_{row}", ""))
        except ValueError:
            refusal = refusal or DomainError(N_("Choose the kind of answer."), field=f"kind_{row}")
            continue
        choices = tuple(fields.get(f"choices_{row}", "").splitlines())
        questions.append(QuestionIn(kind, prompt, choices))
        rows[len(questions)] = row
    deadline, wrong = _deadline(fields.get("deadline", ""))
    try:
        mode = AnswerMode(fields.get("mode", AnswerMode.organisation.value))
    except ValueError:
        mode, wrong = (
            AnswerMode.organisation,
            wrong or DomainError(N_("Choose who answers."), field="mode"),
        )
    made = AssignmentIn(
        title=fields.get("title", ""),
        introduction=fields.get("introduction", ""),
        questions=tuple(questions),
        mode=mode,
        deadline=deadline,
    )
    return TypedAssignment(fields, made, rows, refusal or wrong)


TypedAssignmentDep = Annotated[TypedAssignment, Depends(_typed)]


class LateDecision(TypedDict):
    """The arguments of `late.decide` that come from the path."""

    group_id: int
    assignment_id: int
    revision_id: int
    decision: late.Decision


def _late_decision(
    group: GroupDep, assignment_id: IdPath, revision_id: IdPath, decision: late.Decision
) -> LateDecision:
    return LateDecision(
        group_id=id_of(group),
        assignment_id=assignment_id,
        revision_id=revision_id,
        decision=decision,
    )


# A decision on one late answer of an assignment of the path's group.
LateDecisionDep = Annotated[LateDecision, Depends(_late_decision)]


@dataclass(frozen=True)
class AnswerFilePath:
    """The three ids in a file answer's address: assignment, answer and question."""

    assignment_id: int
    answer_id: int
    question_id: int


def _answer_file_path(
    assignment_id: IdPath, answer_id: IdPath, question_id: IdPath
) -> AnswerFilePath:
    return AnswerFilePath(assignment_id, answer_id, question_id)


AnswerFilePathDep = Annotated[AnswerFilePath, Depends(_answer_file_path)]
