"""The member's homework form at /homework/{token}: no account, the personal link is the key.

Access rule: public; the signed token in the path is the credential (service.homework.links).
Works without JavaScript: one multipart form post, answered with a redirect, or the page again
with what was typed kept and the message tied to its question.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from models.errors import N_, DomainError
from models.homework import QuestionKind
from service.access.permissions import Access
from service.homework import answering, values
from service.homework.answering import Form
from service.i18n import error_message
from service.materials.materials import Upload
from service.web import links
from service.web.materials.files import ShelfDep
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx

router = APIRouter(dependencies=[require(Access.public)])
PATH = "/homework/{token}"
SAVED = N_("Your answer has been saved. You can change it until the deadline.")


@dataclass(frozen=True)
class Typed:
    """What was sent: the answers by field (answer_N) as typed, and the files chosen."""

    fields: dict[str, Any]
    files: dict[str, Upload]


async def _typed(request: Request) -> Typed:
    """Every answer_N field (several for checkboxes) and every file actually chosen."""
    form = await request.form()  # already read (and cached) by the CSRF check
    fields: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    for name in set(form.keys()):
        if not name.startswith("answer_"):
            continue
        given = form.getlist(name)
        texts = [v for v in given if isinstance(v, str)]
        uploads = [v for v in given if isinstance(v, UploadFile) and v.filename]
        if uploads:
            files[name] = Upload(file_name=uploads[0].filename or "", stream=uploads[0].file)
        elif name.endswith("_remove") or len(texts) == 1:
            fields[name] = texts[0] if texts else None
        else:
            fields[name] = texts
    return Typed(fields=fields, files=files)


TypedDep = Annotated[Typed, Depends(_typed)]
Lang = Annotated[str | None, Query(max_length=5)]
Flag = Annotated[bool, Query()]


Visit = links.Visit[Form]
REFUSED_PAGE = "pages/homework_refused.html"


def open_visit(ctx: Context, token: str, lang: str | None) -> Visit:
    """The visit of a working link; a link that opens nothing is answered with its own page."""
    return links.visit(ctx, answering.open_form, token, lang=lang, refused_page=REFUSED_PAGE)


def _stored(form: Form) -> dict[str, Any]:
    """The newest revision's answers by field, as the form shows them."""
    answers = form.newest.answers if form.newest else {}
    shown: dict[str, Any] = {}
    for question in form.questions:
        value = answers.get(str(question.id))
        if value is None:
            continue
        if question.kind is QuestionKind.yes_no:
            value = values.YES if value else values.NO
        elif question.kind is QuestionKind.number:
            value = values.number(float(value), form.person.language.value)
        shown[values.field(question)] = value
    return shown


def homework_form_view(
    visit: Visit,
    *,
    typed: dict[str, Any] | None = None,
    message: str | None = None,
    error: str | None = None,
    error_field: str | None = None,
    status_code: int = 200,
) -> Response:
    """The form with the answer as it stands, or as typed when it was refused."""
    suffix = f"?lang={visit.lang}" if visit.lang else ""
    stored = visit.opened.newest.answers if visit.opened.newest else {}
    return visit.ctx.render(
        "pages/homework_form.html",
        {
            "form": visit.opened,
            "kinds": QuestionKind,
            "token": visit.token,
            "action": f"/homework/{visit.token}{suffix}",
            "shown": typed if typed is not None else _stored(visit.opened),
            "files": {values.field(q): stored.get(str(q.id)) for q in visit.opened.questions},
            "field_of": values.field,
            "message": message,
            "error": error,
            "error_field": error_field,
        },
        status_code=status_code,
    )


@router.get(PATH, response_class=HTMLResponse)
def homework_form(ctx: Ctx, token: str, lang: Lang = None, saved: Flag = False) -> Response:
    """The homework with the answer so far and who changed it."""
    visit = open_visit(ctx, token, lang)
    message = error_message(DomainError(SAVED), visit.language) if saved else None
    return homework_form_view(visit, message=message)


@router.post(PATH, dependencies=[CsrfChecked])
def save_homework_page(
    ctx: Ctx, token: str, typed: TypedDep, shelf: ShelfDep, lang: Lang = None
) -> Response:
    """Keep this edit of the answer; after the deadline as late input, and say so."""
    visit = open_visit(ctx, token, lang)
    try:
        saved = answering.submit(
            ctx.session, form=visit.opened, typed=typed.fields, files=typed.files, shelf=shelf,
            now=ctx.now,
        )  # fmt: skip
    except DomainError as refused:
        ctx.session.rollback()
        return _refused(visit, refused, typed)
    return _late(visit, typed) if saved.late else _back(visit)


def _refused(visit: Visit, refused: DomainError, typed: Typed) -> Response:
    """The form again with the refusal tied to its question and the typed answers kept."""
    message = error_message(refused, visit.language)
    return homework_form_view(
        visit, typed=typed.fields, error=message, error_field=refused.field, status_code=422
    )


def _late(visit: Visit, typed: Typed) -> Response:
    """The form again, reread, saying the answer was kept as late input (409)."""
    reread = open_visit(visit.ctx, visit.token, visit.lang)
    notice = error_message(DomainError(answering.LATE_NOTICE), visit.language)
    return homework_form_view(reread, typed=typed.fields, error=notice, status_code=409)


def _back(visit: Visit) -> RedirectResponse:
    suffix = f"&lang={visit.lang}" if visit.lang else ""
    return RedirectResponse(f"/homework/{visit.token}?saved=true{suffix}", status_code=303)
