"""The member's agenda-input form at /input/{token}: no account, the personal link is the key.

Access rule: public; the signed token in the path is the credential (service.form_links).
Works without JavaScript: plain form posts, answered with a redirect or the page again with
the typed text kept and the message tied to its field.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.agenda import MAX_QUESTIONS_LIMIT, SubmissionCreate
from models.errors import N_, DomainError
from service.access.permissions import Access
from service.agenda import member_form
from service.agenda.member_form import Form, Phase
from service.i18n import error_message
from service.questions import again
from service.web import links
from service.web.security import CsrfChecked, require
from service.web.triggers import AfterDep
from service.web.views import Context, Ctx

router = APIRouter(dependencies=[require(Access.public)])
PATH = "/input/{token}"


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


Visit = links.Visit[Form]
REFUSED_PAGE = "pages/agenda_form_refused.html"


def _open(ctx: Context, token: str, lang: str | None) -> Visit:
    return links.visit(ctx, member_form.open_form, token, lang=lang, refused_page=REFUSED_PAGE)


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
    form = visit.opened
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
    return visit.ctx.render(
        "pages/agenda_form.html",
        {
            "form": form,
            "phases": Phase,
            "action": f"/input/{visit.token}{_lang_query(visit.lang)}",
            "withdraw_action": f"/input/{visit.token}/withdraw{_lang_query(visit.lang)}",
            "again_action": f"/input/{visit.token}/again{_lang_query(visit.lang)}",
            "still_relevant": again.still_relevant(visit.ctx.session, form=form),
            "token": visit.token,
            "rows": rows,
            "shown": shown,
            "message": message,
            "error": error,
            "error_field": error_field,
            "shown_fields": [f"{kind}_{row}" for row in rows for kind in ("question", "context")],
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
Flag = Annotated[bool, Query()]
SAVED = N_("Your questions have been saved. You can change them until the deadline.")
WITHDRAWN = N_("Your questions have been withdrawn.")
AGAIN = N_("Your question has been sent again for this meeting.")


@router.get(PATH, response_class=HTMLResponse)
def input_form(
    ctx: Ctx,
    token: str,
    lang: Lang = None,
    saved: Flag = False,
    withdrawn: Flag = False,
    resubmitted: Flag = False,
) -> Response:
    """The form with what the member sent so far."""
    visit = _open(ctx, token, lang)
    message = SAVED if saved else WITHDRAWN if withdrawn else AGAIN if resubmitted else None
    return _page(visit, message=message and error_message(DomainError(message), visit.language))


@router.post(PATH, dependencies=[CsrfChecked])
def save_input_page(
    ctx: Ctx, token: str, typed: TypedDep, after: AfterDep, lang: Lang = None
) -> Response:
    """Save the ranked questions; after the deadline keep them as late input and say so."""
    visit = _open(ctx, token, lang)
    if typed.orphan_row is not None:
        return _refused(visit, _orphan(typed.orphan_row), fields=typed.fields, typed=None)
    try:
        saved = member_form.save(
            ctx.session, form=visit.opened, entries=typed.entries, now=ctx.now, after=after
        )
    except DomainError as refused:
        ctx.session.rollback()
        return _refused(visit, refused, fields=typed.fields, typed=typed)
    return _late(visit, typed) if saved.late else _back(visit, "saved")


def _orphan(row: int) -> DomainError:
    """The refusal of a context typed without its question (tied to that row's question)."""
    return DomainError(N_("Write the question this context belongs to."), field=f"question_{row}")


def _late(visit: Visit, typed: Typed) -> Response:
    """The form again, reread, saying the questions were kept as late input (409)."""
    reread = _open(visit.ctx, visit.token, visit.lang)
    notice = error_message(DomainError(member_form.LATE_NOTICE), visit.language)
    return _page(reread, typed=typed.fields, error=notice, status_code=409)


@router.post(PATH + "/withdraw", dependencies=[CsrfChecked])
def withdraw_input_page(ctx: Ctx, token: str, lang: Lang = None) -> Response:
    """Withdraw everything the member sent (kept on record, left out of the agenda)."""
    visit = _open(ctx, token, lang)
    try:
        member_form.withdraw(ctx.session, form=visit.opened, now=ctx.now)
    except DomainError as refused:
        ctx.session.rollback()
        return _refused(visit, refused, fields=None, typed=None)
    return _back(visit, "withdrawn")


@router.post(PATH + "/again", dependencies=[CsrfChecked])
def resubmit_input_page(
    ctx: Ctx, token: str, submission_id: Annotated[int, FormField(ge=1)], lang: Lang = None
) -> Response:
    """Send an earlier question that was not handled again, with one click ("Still relevant?")."""
    visit = _open(ctx, token, lang)
    try:
        again.resubmit(ctx.session, form=visit.opened, submission_id=submission_id, now=ctx.now)
    except DomainError as refused:
        ctx.session.rollback()
        return _refused(visit, refused, fields=None, typed=None)
    return _back(visit, "resubmitted")
