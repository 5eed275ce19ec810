"""The member's agenda input as JSON at /api/input/{token}: the same link, the same rules.

Access rule: public; the signed token in the path is the credential (service.form_links).
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from models import limits
from models.agenda import Submission, SubmissionCreate
from models.errors import DomainError
from service.agenda import member_form
from service.agenda.member_form import Form
from service.i18n import LANGUAGES, error_message
from service.questions import again
from service.web import links
from service.web.forms import ApiBody, Read
from service.web.triggers import AfterDep
from service.web.views import Context, Ctx

router = links.api_router("/api/input/{token}", "agenda input", gone="The meeting has taken place")


class QuestionIn(ApiBody):
    """One question; its place in the list is its rank (the first matters most)."""

    # Generous limits here: the use case refuses what is too long with a clear message.
    question: str = Field(max_length=10_000)
    context: str | None = Field(default=None, max_length=10_000)


class QuestionsRequest(ApiBody):
    """The member's questions, most important first; they replace what was sent before."""

    questions: list[QuestionIn] = Field(max_length=limits.QUESTIONS + 1)

    def entries(self) -> list[SubmissionCreate]:
        """The questions ranked in the order given."""
        return [
            SubmissionCreate(rank=rank, question=q.question, context=q.context)
            for rank, q in enumerate(self.questions, start=1)
        ]


class QuestionOut(Read):
    """A question as stored."""

    rank: int
    question: str
    context: str | None
    submitted_at: datetime
    updated_at: datetime


class EarlierOut(BaseModel):
    """An earlier question of the member that was not handled: "Still relevant?"."""

    submission_id: int
    question: str
    status: str


class FormResponse(BaseModel):
    """The call, its deadline and what this member sent."""

    meeting_title: str
    group: str
    meeting_starts_at: datetime | None
    deadline: datetime
    max_questions: int
    guidance: str | None
    phase: str
    questions: list[QuestionOut]
    late: list[QuestionOut]
    still_relevant: list[EarlierOut] = []
    notice: str | None = None


class ResubmitRequest(ApiBody):
    """The earlier question to send again."""

    submission_id: int = Field(ge=1, le=2_147_483_647)


def _form(ctx: Context, token: str) -> Form:
    return links.for_api(ctx, member_form.open_form, token)


def _language(lang: str | None, form: Form) -> str:
    return lang if lang in LANGUAGES else str(form.person.language.value)


def _out(rows: list[Submission]) -> list[QuestionOut]:
    return [QuestionOut.model_validate(r) for r in rows]


def _response(ctx: Context, form: Form, notice: str | None = None) -> FormResponse:
    earlier = again.still_relevant(ctx.session, form=form)
    return FormResponse(
        meeting_title=form.meeting.title,
        group=form.group.slug,
        meeting_starts_at=form.meeting.starts_at,
        deadline=form.call.deadline,
        max_questions=form.call.max_questions,
        guidance=form.call.guidance,
        phase=form.phase.value,
        questions=_out(form.questions),
        late=_out(form.late),
        still_relevant=[
            EarlierOut(
                submission_id=p.submission.id or 0,
                question=p.submission.question,
                status=p.status.value,
            )
            for p in earlier
        ],
        notice=notice,
    )


Lang = Annotated[str | None, Query(description="nl, en or fr; default: the member's language")]


@router.get("")
def read_input(ctx: Ctx, token: str) -> FormResponse:
    """The call and the member's questions."""
    return _response(ctx, _form(ctx, token))


@router.put(
    "",
    responses={
        202: {
            "model": FormResponse,
            "description": "After the deadline: kept as late input for the secretariat",
        }
    },
)
def replace_input(
    ctx: Ctx, token: str, body: QuestionsRequest, after: AfterDep, lang: Lang = None
) -> Any:
    """Replace the member's questions; after the deadline they are kept as late input (202)."""
    form = _form(ctx, token)
    saved = member_form.save(
        ctx.session, form=form, entries=body.entries(), now=ctx.now, after=after
    )
    ctx.session.flush()
    if not saved.late:
        return _response(ctx, _form(ctx, token))
    notice = error_message(DomainError(member_form.LATE_NOTICE), _language(lang, form))
    late = _response(ctx, _form(ctx, token), notice).model_dump(mode="json")
    return JSONResponse(late, status_code=202)


@router.delete("", status_code=204)
def withdraw_input(ctx: Ctx, token: str) -> Response:
    """Withdraw everything the member sent (kept on record, left out of the agenda)."""
    member_form.withdraw(ctx.session, form=_form(ctx, token), now=ctx.now)
    return Response(status_code=204)


@router.post("/again", status_code=201)
def resubmit_input(ctx: Ctx, token: str, body: ResubmitRequest) -> FormResponse:
    """Send an earlier question that was not handled again, at the first free rank."""
    form = _form(ctx, token)
    again.resubmit(ctx.session, form=form, submission_id=body.submission_id, now=ctx.now)
    ctx.session.flush()
    return _response(ctx, _form(ctx, token))
