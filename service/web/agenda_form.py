"""The member's agenda-input form at /input/{token}: no account, the personal link is the key.

Access rule: public; the signed token in the path is the credential (service.form_links).
Works without JavaScript: plain form posts, answered with a redirect or the page again with
the typed text kept and the message tied to its field.
"""

from dataclasses import dataclass
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
from service import agenda_form
from service.agenda_form import Form, LinkRefused, Phase
from service.i18n import LANGUAGES, error_message
from service.permissions import Access
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


def _language(request: Request, lang: str | None, form: Form | None) -> str:
    """The language chosen on the page, else the member's own, else the request's."""
    if lang in LANGUAGES:
        chosen = str(lang)
    elif form is not None:
        chosen = str(form.person.language.value)
    else:
        chosen = language.of_request(request)
    request.state.language = chosen  # read by page rendering
    return chosen


def _field_on_form(field: str | None, typed: Typed | None) -> str | None:
    """Map a refused entry's field (by rank) back to the row the member typed it in."""
    if field is None or typed is None:
        return field
    name, _, number = field.rpartition("_")
    if name in ("question", "context") and number.isdigit() and int(number) in typed.rows:
        return f"{name}_{typed.rows[int(number)]}"
    return field


def _page(
    request: Request,
    settings: Settings,
    token: str,
    form: Form,
    *,
    lang: str | None,
    typed: dict[str, str] | None = None,
    message: str | None = None,
    error: str | None = None,
    error_field: str | None = None,
    status_code: int = 200,
) -> Response:
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
        request,
        settings,
        "pages/agenda_form.html",
        {
            "form": form,
            "phases": Phase,
            "action": f"/input/{token}{_lang_query(lang)}",
            "withdraw_action": f"/input/{token}/withdraw{_lang_query(lang)}",
            "token": token,
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


def _lang_query(lang: str | None) -> str:
    return f"?lang={lang}" if lang in LANGUAGES else ""


def _refused_link(
    request: Request, settings: Settings, refused: LinkRefused, lang: str
) -> Response:
    return render(
        request,
        settings,
        "pages/agenda_form_refused.html",
        {"message": error_message(refused, lang)},
        status_code=_STATUS[refused.reason],
    )


def _open(session: Session, settings: Settings, token: str, now: NowDep) -> Form:
    return agenda_form.open_form(session, token=token, key=settings.resolved_secret_key(), now=now)


@router.get(PATH, response_class=HTMLResponse, dependencies=[require(Access.public)])
def show(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    lang: Annotated[str | None, Query()] = None,
    saved: Annotated[bool, Query()] = False,
    withdrawn: Annotated[bool, Query()] = False,
) -> Response:
    """The form with what the member sent so far."""
    try:
        form = _open(session, settings, token, now)
    except LinkRefused as refused:
        return _refused_link(request, settings, refused, _language(request, lang, None))
    chosen = _language(request, lang, form)
    message = None
    if saved:
        message = N_("Your questions have been saved. You can change them until the deadline.")
    elif withdrawn:
        message = N_("Your questions have been withdrawn.")
    return _page(
        request, settings, token, form, lang=lang, message=message and _translated(chosen, message)
    )


def _translated(lang: str, msgid: str) -> str:
    return error_message(DomainError(msgid), lang)


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
    lang: Annotated[str | None, Query()] = None,
) -> Response:
    """Save the ranked questions; after the deadline keep them as late input and say so."""
    try:
        form = _open(session, settings, token, now)
    except LinkRefused as bad_link:
        return _refused_link(request, settings, bad_link, _language(request, lang, None))
    chosen = _language(request, lang, form)
    if typed.orphan_row is not None:
        orphan = DomainError(
            N_("Write the question this context belongs to."), field=f"question_{typed.orphan_row}"
        )
        return _refused(request, settings, token, form, lang, chosen, orphan, None, typed.fields)
    try:
        saved = agenda_form.save(session, form=form, entries=typed.entries, now=now)
    except DomainError as refused:
        session.rollback()
        return _refused(request, settings, token, form, lang, chosen, refused, typed, typed.fields)
    if saved.late:
        return _page(
            request,
            settings,
            token,
            _open(session, settings, token, now),
            lang=lang,
            typed=typed.fields,
            error=_translated(
                chosen,
                N_(
                    "The deadline has passed, so your questions were not added to this"
                    " meeting's agenda. They are kept as late input: the secretariat decides"
                    " whether they go to the next meeting."
                ),
            ),
            status_code=409,
        )
    if saved.all_answered:
        assert form.call.id is not None
        background.add_task(triggers.all_answered, call_id=form.call.id)
    return RedirectResponse(_back(token, lang, "saved"), status_code=303)


def _back(token: str, lang: str | None, flag: str) -> str:
    suffix = f"&lang={lang}" if lang in LANGUAGES else ""
    return f"/input/{token}?{flag}=true{suffix}"


def _refused(
    request: Request,
    settings: Settings,
    token: str,
    form: Form,
    lang: str | None,
    chosen: str,
    refused: DomainError,
    typed: Typed | None,
    fields: dict[str, str] | None,
) -> Response:
    return _page(
        request,
        settings,
        token,
        form,
        lang=lang,
        typed=fields,
        error=error_message(refused, chosen),
        error_field=_field_on_form(refused.field, typed),
        status_code=422,
    )


@router.post(PATH + "/withdraw", dependencies=[require(Access.public), CsrfChecked])
def withdraw(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    lang: Annotated[str | None, Query()] = None,
) -> Response:
    """Withdraw everything the member sent (kept on record, left out of the agenda)."""
    try:
        form = _open(session, settings, token, now)
    except LinkRefused as refused:
        return _refused_link(request, settings, refused, _language(request, lang, None))
    chosen = _language(request, lang, form)
    try:
        agenda_form.withdraw(session, form=form, now=now)
    except DomainError as refused:
        session.rollback()
        return _refused(request, settings, token, form, lang, chosen, refused, None, None)
    return RedirectResponse(_back(token, lang, "withdrawn"), status_code=303)
