"""The member's agenda input as JSON at /api/input/{token}: the same link, the same rules.

Access rule: public; the signed token in the path is the credential (service.form_links).
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session

from models.agenda import MAX_QUESTIONS_LIMIT, Submission, SubmissionCreate
from models.errors import DomainError
from service.access.permissions import Access
from service.agenda import member_form
from service.agenda.member_form import Form, LinkRefused
from service.i18n import LANGUAGES, error_message
from service.web.api import _ERRORS, ErrorResponse
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.errors import Refusal
from service.web.security import require
from service.web.triggers import TriggersDep

router = APIRouter(
    prefix="/api/input/{token}",
    tags=["agenda input"],
    responses={
        **_ERRORS,
        410: {"model": ErrorResponse, "description": "The meeting has taken place"},
    },
    dependencies=[require(Access.public)],
)
_STATUS = {"invalid": 404, "expired": 410, "not_member": 403}


class QuestionIn(BaseModel):
    """One question; its place in the list is its rank (the first matters most)."""

    question: str = Field(max_length=10_000)
    context: str | None = Field(default=None, max_length=10_000)


class QuestionsRequest(BaseModel):
    """The member's questions, most important first; they replace what was sent before."""

    questions: list[QuestionIn] = Field(max_length=MAX_QUESTIONS_LIMIT + 1)


class QuestionOut(BaseModel):
    """A question as stored."""

    rank: int
    question: str
    context: str | None
    submitted_at: datetime
    updated_at: datetime


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
    notice: str | None = None


def _form(session: Session, settings: SettingsDep, token: str, now: datetime) -> Form:
    try:
        return member_form.open_form(
            session, token=token, key=settings.resolved_secret_key(), now=now
        )
    except LinkRefused as refused:
        raise Refusal(_STATUS[refused.reason], refused.msgid) from refused


def _language(lang: str | None, form: Form) -> str:
    return lang if lang in LANGUAGES else str(form.person.language.value)


def _out(rows: list[Submission]) -> list[QuestionOut]:
    return [
        QuestionOut(
            rank=r.rank,
            question=r.question,
            context=r.context,
            submitted_at=r.submitted_at,
            updated_at=r.updated_at,
        )
        for r in rows
    ]


def _response(form: Form, notice: str | None = None) -> FormResponse:
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
        notice=notice,
    )


Lang = Annotated[str | None, Query(description="nl, en or fr; default: the member's language")]


@router.get("")
def read(token: str, session: SessionDep, settings: SettingsDep, now: NowDep) -> FormResponse:
    """The call and the member's questions."""
    return _response(_form(session, settings, token, now))


@router.put(
    "",
    responses={
        202: {
            "model": FormResponse,
            "description": "After the deadline: kept as late input for the secretariat",
        }
    },
)
def replace(
    token: str,
    body: QuestionsRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    background: BackgroundTasks,
    triggers: TriggersDep,
    lang: Lang = None,
) -> Any:
    """Replace the member's questions; after the deadline they are kept as late input (202)."""
    form = _form(session, settings, token, now)
    entries = [
        SubmissionCreate(rank=rank, question=q.question, context=q.context)
        for rank, q in enumerate(body.questions, start=1)
    ]
    saved = member_form.save(session, form=form, entries=entries, now=now)
    session.flush()
    after = _form(session, settings, token, now)
    if saved.late:
        notice = error_message(DomainError(member_form.LATE_NOTICE), _language(lang, form))
        return JSONResponse(_response(after, notice).model_dump(mode="json"), status_code=202)
    if saved.all_answered:
        assert form.call.id is not None
        background.add_task(triggers.all_answered, call_id=form.call.id)
    return _response(after)


@router.delete("", status_code=204)
def withdraw(token: str, session: SessionDep, settings: SettingsDep, now: NowDep) -> Response:
    """Withdraw everything the member sent (kept on record, left out of the agenda)."""
    member_form.withdraw(session, form=_form(session, settings, token, now), now=now)
    return Response(status_code=204)
