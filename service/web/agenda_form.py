"""The member's agenda-input form at /input/{token}: no account, the personal link is the key.

Access rule: public; the signed token in the path is the credential (service.form_links).
Works without JavaScript: plain form posts, answered with a redirect or the page again with
the typed text kept and the message tied to its field.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.agenda import (
    CONTEXT_MAX_LENGTH,
    MAX_QUESTIONS_LIMIT,
    QUESTION_MAX_LENGTH,
    SubmissionCreate,
)
from models.errors import N_, DomainError
from service.access.permissions import Access
from service.agenda import member_form
from service.agenda.member_form import Form, LinkRefused, Phase
from service.i18n import LANGUAGES, error_message
from service.settings import Settings
from service.web import language
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require
from service.web.triggers import TriggersDep

router = APIRouter()
PATH = "/input/{token}"
_STATUS = {"invalid": 404, "expired": 410, "not_member": 403}


@dataclass(frozen=True)
class Typed:
    """What the member typed, row by row as on the form, and the entries it makes."""

    fields: dict[str, str]
    entries: list[SubmissionCreate]
    rows: dict[int, int]  # rank given -> row of the form it came from
    orphan_row: int | None  # a row with a context but no question


async def _typed(request: Request) -> Typed:
    """Read question_N and context_N; blank rows are skipped, the rest ranked in form order."""
    form = await request.form()  # already read (and cached) by the CSRF check
    fields: dict[str, str] = {}
    last_row = MAX_QUESTIONS_LIMIT + 1  # one more than ever allowed, so tampering shows
    for row in range(1, last_row + 1):
        for name in (f"question_{row}", f"context_{row}"):
            value = form.get(name)
            if isinstance(value, str) and value.strip():
                fields[name] = value
    entries: list[SubmissionCreate] = []
    rows: dict[int, int] = {}
    orphan_row = None
    for row in range(1, last_row + 1):
        question, context = fields.get(f"question_{row}", ""), fields.get(f"context_{row}")
        if not question.strip():
            if context is not None and orphan_row is None:
                orphan_row = row
            continue
        rank = len(entries) + 1
        entries.append(SubmissionCreate(rank=rank, question=question, context=context))
        rows[rank] = row
    return Typed(fields=fields, entries=entries, rows=rows, orphan_row=orphan_row)


TypedDep = Annotated[Typed, Depends(_typed)]


@dataclass(frozen=True)
class Visit:
    """One request to a working link: the form, and how to answer in the reader's language."""

    request: Request
    settings: Settings
    token: str
    lang: str | None  # the language asked for in the URL, kept on every link and form
    language: str  # the language answered in
    form: Form


def _visit(
    request: Request,
    session: Session,
    settings: Settings,
    token: str,
    now: datetime,
    lang: str | None,
) -> Visit | Response:
    """The visit of a working link, or the page that says why the link opens nothing."""
    wanted = lang if lang in LANGUAGES else None
    try:
        form = member_form.open_form(
            session, token=token, key=settings.resolved_secret_key(), now=now
        )
    except LinkRefused as refused:
        request.state.language = wanted or language.of_request(request)
        return render(
            request,
            settings,
            "pages/agenda_form_refused.html",
            {"message": error_message(refused, request.state.language)},
            status_code=_STATUS[refused.reason],
        )
    # The language chosen on the page, else the member's own; page rendering reads it.
    request.state.language = wanted or str(form.person.language.value)
    return Visit(request, settings, token, wanted, request.state.language, form)


def _field_on_form(field: str | None, typed: Typed | None) -> str | None:
    """Map a refused entry's field (by rank) back to the row the member typed it in."""
    if field is None or typed is None:
        return field
    name, _, number = field.rpartition("_")
    if name in ("question", "context") and number.isdigit() and int(number) in typed.rows:
        return f"{name}_{typed.rows[int(number)]}"
    return field


def _lang_query(lang: str | None) -> str:
    return f"?lang={lang}" if lang else ""


def _page(
    visit: Visit,
    *,
    typed: dict[str, str] | None = None,
    message: str | None = None,
    error: str | None = None,
    error_field: str | None = None,
    status_code: int = 200,
) -> Response:
    form = visit.form
    stored = {f"question_{q.rank}": q.question for q in form.questions} | {
        f"context_{q.rank}": q.context or "" for q in form.questions
    }
    late = {f"question_{q.rank}": q.question for q in form.late} | {
        f"context_{q.rank}": q.context or "" for q in form.late
    }
    shown = typed if typed is not None else (late if form.phase is Phase.late else stored)
    # Rows beyond the limit appear only when text came in for them, so none of it is lost.
    typed_rows = [int(name.rpartition("_")[2]) for name in shown]
    rows = range(1, max([form.call.max_questions, *typed_rows]) + 1)
    return render(
        visit.request,
        visit.settings,
        "pages/agenda_form.html",
        {
            "form": form,
            "phases": Phase,
            "action": f"/input/{visit.token}{_lang_query(visit.lang)}",
            "withdraw_action": f"/input/{visit.token}/withdraw{_lang_query(visit.lang)}",
            "token": visit.token,
            "rows": rows,
            "shown": shown,
            "message": message,
            "error": error,
            "error_field": error_field,
            "shown_fields": [f"{kind}_{row}" for row in rows for kind in ("question", "context")],
            "question_max": QUESTION_MAX_LENGTH,
            "context_max": CONTEXT_MAX_LENGTH,
        },
        status_code=status_code,
    )


def _refused(
    visit: Visit, refused: DomainError, *, fields: dict[str, str] | None, typed: Typed | None
) -> Response:
    """The form again with the refusal tied to its field and the typed text kept (422)."""
    return _page(
        visit,
        typed=fields,
        error=error_message(refused, visit.language),
        error_field=_field_on_form(refused.field, typed),
        status_code=422,
    )


def _back(visit: Visit, flag: str) -> RedirectResponse:
    suffix = f"&lang={visit.lang}" if visit.lang else ""
    return RedirectResponse(f"/input/{visit.token}?{flag}=true{suffix}", status_code=303)


Lang = Annotated[str | None, Query(max_length=5)]


@router.get(PATH, response_class=HTMLResponse, dependencies=[require(Access.public)])
def show(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    lang: Lang = None,
    saved: Annotated[bool, Query()] = False,
    withdrawn: Annotated[bool, Query()] = False,
) -> Response:
    """The form with what the member sent so far."""
    visit = _visit(request, session, settings, token, now, lang)
    if not isinstance(visit, Visit):
        return visit
    message = None
    if saved:
        message = N_("Your questions have been saved. You can change them until the deadline.")
    elif withdrawn:
        message = N_("Your questions have been withdrawn.")
    return _page(visit, message=message and error_message(DomainError(message), visit.language))


@router.post(PATH, dependencies=[require(Access.public), CsrfChecked])
def save(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    typed: TypedDep,
    background: BackgroundTasks,
    triggers: TriggersDep,
    lang: Lang = None,
) -> Response:
    """Save the ranked questions; after the deadline keep them as late input and say so."""
    visit = _visit(request, session, settings, token, now, lang)
    if not isinstance(visit, Visit):
        return visit
    if typed.orphan_row is not None:
        orphan = DomainError(
            N_("Write the question this context belongs to."), field=f"question_{typed.orphan_row}"
        )
        return _refused(visit, orphan, fields=typed.fields, typed=None)
    try:
        saved = member_form.save(session, form=visit.form, entries=typed.entries, now=now)
    except DomainError as refused:
        session.rollback()
        return _refused(visit, refused, fields=typed.fields, typed=typed)
    if saved.late:
        reread = _visit(request, session, settings, token, now, lang)
        assert isinstance(reread, Visit)
        notice = error_message(DomainError(member_form.LATE_NOTICE), visit.language)
        return _page(reread, typed=typed.fields, error=notice, status_code=409)
    if saved.all_answered:
        assert visit.form.call.id is not None
        background.add_task(triggers.all_answered, call_id=visit.form.call.id)
    return _back(visit, "saved")


@router.post(PATH + "/withdraw", dependencies=[require(Access.public), CsrfChecked])
def withdraw(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    lang: Lang = None,
) -> Response:
    """Withdraw everything the member sent (kept on record, left out of the agenda)."""
    visit = _visit(request, session, settings, token, now, lang)
    if not isinstance(visit, Visit):
        return visit
    try:
        member_form.withdraw(session, form=visit.form, now=now)
    except DomainError as refused:
        session.rollback()
        return _refused(visit, refused, fields=None, typed=None)
    return _back(visit, "withdrawn")
