"""The answer page at /answer/{token}: I come (in person, online), I cannot come, a stand-in.

Access rule: public; the signed token in the path is the credential (service.replies.links).
A GET only shows the choice, preselected from the link, for the person to confirm: a mail
scanner that follows the links in a message answers nothing. Works without JavaScript.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import N_, DomainError
from models.replies import AnswerChoice
from service.access.permissions import Access
from service.i18n import error_message
from service.replies import answering
from service.replies.answering import Ballot, StandInTyped
from service.web import links
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx

router = APIRouter(dependencies=[require(Access.public)])
PATH = "/answer/{token}"
RECORDED = N_("Your answer has been recorded. You can change it until the meeting starts.")
Lang = Annotated[str | None, Query(max_length=5)]
Choice = Annotated[str | None, Query(max_length=20)]


Visit = links.Visit[Ballot]
REFUSED_PAGE = "pages/answer_refused.html"


def open_visit(ctx: Context, token: str, lang: str | None) -> Visit:
    """The visit of a working link; a link that opens nothing is answered with its own page."""
    return links.visit(ctx, answering.open_ballot, token, lang=lang, refused_page=REFUSED_PAGE)


def answer_view(
    visit: Visit,
    *,
    chosen: str | None,
    typed: dict[str, str] | None = None,
    message: str | None = None,
    error: DomainError | None = None,
    status_code: int = 200,
) -> Response:
    """The page: the meeting, the answer that counts now, and the form to confirm one."""
    ballot = visit.opened
    preselected = chosen if chosen in AnswerChoice.__members__ else ballot.current_choice
    suffix = f"?lang={visit.lang}" if visit.lang else ""
    return visit.ctx.render(
        "pages/answer.html",
        {
            "ballot": ballot,
            "choices": list(AnswerChoice),
            "preselected": preselected,
            "action": f"/answer/{visit.token}{suffix}",
            "token": visit.token,
            "typed": typed or {},
            "message": message,
            "error": error_message(error, visit.ctx.language) if error else None,
            "error_field": error.field if error else None,
        },
        status_code=status_code,
    )


@router.get(PATH, response_class=HTMLResponse)
def answer_page(
    ctx: Ctx, token: str, choice: Choice = None, lang: Lang = None, answered: bool = False
) -> Response:
    """The answer to confirm, the link's choice preselected; nothing is recorded here."""
    visit = open_visit(ctx, token, lang)
    message = error_message(DomainError(RECORDED), ctx.language) if answered else None
    return answer_view(visit, chosen=choice, message=message)


@dataclass(frozen=True)
class Typed:
    """What the person sent: the choice and the stand-in, as typed (kept on a refusal)."""

    choice: str
    fields: dict[str, str]

    def stand_in(self) -> StandInTyped:
        """The stand-in as the use case reads it."""
        chosen = self.fields.get("stand_in_person", "")
        return StandInTyped(
            person_id=int(chosen) if chosen.isdigit() and len(chosen) < 10 else None,
            name=self.fields.get("stand_in_name", ""),
            email=self.fields.get("stand_in_email", ""),
        )


async def _typed(request: Request) -> Typed:
    form = await request.form()  # already read (and cached) by the CSRF check
    fields = {
        name: value[:500]
        for name in ("choice", "stand_in_person", "stand_in_name", "stand_in_email")
        if isinstance(value := form.get(name), str)
    }
    return Typed(choice=fields.pop("choice", ""), fields=fields)


TypedDep = Annotated[Typed, Depends(_typed)]


def checked_choice(choice: str) -> AnswerChoice:
    """The choice sent, or a refusal asking for one."""
    if choice not in AnswerChoice.__members__:
        raise DomainError(N_("Choose one of the answers."), field="choice")
    return AnswerChoice(choice)


def _send(visit: Visit, typed: Typed) -> Response:
    ctx = visit.ctx
    try:
        answering.record_answer(
            ctx.session,
            ballot=visit.opened,
            choice=checked_choice(typed.choice),
            stand_in=typed.stand_in(),
            settings=ctx.settings,
            now=ctx.now,
        )
    except DomainError as refused:
        ctx.session.rollback()
        return answer_view(
            visit, chosen=typed.choice, typed=typed.fields, error=refused, status_code=422
        )
    suffix = f"&lang={visit.lang}" if visit.lang else ""
    return RedirectResponse(f"/answer/{visit.token}?answered=true{suffix}", status_code=303)


@router.post(PATH, dependencies=[CsrfChecked])
def answer_send(ctx: Ctx, token: str, typed: TypedDep, lang: Lang = None) -> Response:
    """Record the answer (every answer is kept; the last counts), then show it."""
    return _send(open_visit(ctx, token, lang), typed)
