"""The member's homework as JSON at /api/homework/{token}: the same link, the same rules.

Access rule: public; the signed token in the path is the credential (service.homework.links).
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from models.errors import N_, DomainError
from models.homework import MAX_HOMEWORK_QUESTIONS
from service.access.permissions import Access
from service.homework import answering, values
from service.homework.answering import Form
from service.i18n import error_message
from service.web import links
from service.web.errors import API_ERRORS
from service.web.forms import ApiBody, Read
from service.web.materials.files import IncomingFile, ShelfDep
from service.web.security import require
from service.web.views import Context, Ctx

router = APIRouter(
    prefix="/api/homework/{token}",
    tags=["homework"],
    responses=API_ERRORS,
    dependencies=[require(Access.public)],
)
Position = Annotated[int, Path(ge=1, le=MAX_HOMEWORK_QUESTIONS)]


class QuestionOut(Read):
    """A question as the member sees it."""

    position: int
    kind: str
    prompt: str
    choices: list[str]


class EditOut(Read):
    """One edit of the answer: when, by whom, and whether it counts."""

    saved_at: datetime
    author: str | None
    status: str


class HomeworkOut(Read):
    """The homework, the answer as it stands (by position) and its edits, newest first."""

    title: str
    introduction: str
    mode: str
    deadline: datetime
    late: bool
    organisation: str
    questions: list[QuestionOut]
    answers: dict[str, Any]
    edits: list[EditOut]
    notice: str | None = None


class AnswersIn(ApiBody):
    """Answers by question position: text, true/false, a choice, a list of choices, a number.

    They replace the answer's earlier values; a file answer is kept unless sent again at
    /files/{position}.
    """

    answers: dict[str, Any] = Field(max_length=MAX_HOMEWORK_QUESTIONS + 1)


def _open(ctx: Context, token: str) -> Form:
    """The form of a working link; a link that opens nothing is refused with its status."""
    return links.for_api(ctx, answering.open_form, token)


def _out(ctx: Context, token: str, notice: str | None = None, status_code: int = 200) -> Response:
    form = _open(ctx, token)
    newest = form.newest.answers if form.newest else {}
    body = HomeworkOut(
        title=form.assignment.title,
        introduction=form.assignment.introduction,
        mode=form.assignment.mode.value,
        deadline=form.assignment.deadline,
        late=form.late,
        organisation=form.organisation.name,
        questions=[QuestionOut.model_validate(q) for q in form.questions],
        answers={str(q.position): newest.get(str(q.id)) for q in form.questions},
        edits=[
            EditOut(saved_at=e.revision.saved_at, author=e.author, status=e.revision.status.value)
            for e in form.edits
        ],
        notice=notice,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code)


@router.get("", response_model=HomeworkOut)
def homework(ctx: Ctx, token: str) -> Response:
    """The homework and the answer so far."""
    return _out(ctx, token)


def _typed(form: Form, body: AnswersIn) -> dict[str, Any]:
    by_position = {str(q.position): values.field(q) for q in form.questions}
    unknown = sorted(set(body.answers) - set(by_position))
    if unknown:
        raise DomainError(
            N_("There is no question %(number)s."), field="answers", number=unknown[0]
        )
    return {by_position[k]: v for k, v in body.answers.items()}


_LATE: dict[int | str, dict[str, Any]] = {
    202: {"model": HomeworkOut, "description": "After the deadline: kept as late input"}
}


@router.put("", response_model=HomeworkOut, responses=_LATE)
def save_homework(ctx: Ctx, token: str, body: AnswersIn, shelf: ShelfDep) -> Response:
    """Keep an edit of the answer; after the deadline as late input (409, with the notice)."""
    form = _open(ctx, token)
    saved = answering.submit(
        ctx.session, form=form, typed=_typed(form, body), files={}, shelf=shelf, now=ctx.now
    )
    return _late(ctx, token) if saved.late else _out(ctx, token)


@router.put("/files/{position}", response_model=HomeworkOut, responses=_LATE)
def send_homework_file(ctx: Ctx, token: str, position: Position, file: IncomingFile) -> Response:
    """Send the file that answers one question; the other answers stay as they are."""
    form = _open(ctx, token)
    name = f"answer_{position}"
    saved = answering.submit(
        ctx.session, form=form, typed={}, files={name: file["upload"]}, shelf=file["shelf"],
        now=ctx.now, keep_others=True,
    )  # fmt: skip
    return _late(ctx, token) if saved.late else _out(ctx, token)


def _late(ctx: Context, token: str) -> Response:
    """The answer as it stands, with the notice that this edit was kept as late input (202)."""
    form = _open(ctx, token)
    notice = error_message(DomainError(answering.LATE_NOTICE), str(form.person.language.value))
    return _out(ctx, token, notice=notice, status_code=202)
