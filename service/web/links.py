"""Personal links (agenda input, homework, answers): what one opens, for its page and its API.

The three links are read the same way and refuse the same way: a link that opens nothing says
why (`reason`), and the edge answers that with one status, as JSON or as the link's own page.
"""

from datetime import datetime
from typing import Protocol, TypeVar

from service.agenda.member_form import LinkRefused
from service.db import Session
from service.i18n import LANGUAGES, error_message
from service.replies.answering import AnswerRefused
from service.web import language
from service.web.refusal import Answered, Refusal
from service.web.views import Context

T_co = TypeVar("T_co", covariant=True)
# A link that opens nothing: unknown or tampered with, spent, or no longer the person's.
STATUS = {"invalid": 404, "expired": 410, "not_member": 403}


class Opener(Protocol[T_co]):
    """A use case that opens a link: `member_form.open_form`, `answering.open_ballot`, ..."""

    def __call__(self, session: Session, *, token: str, key: str, now: datetime) -> T_co:
        """What the link opens now, or the link's refusal with its reason."""
        ...


def _opened(ctx: Context, open_link: Opener[T_co], token: str) -> T_co:
    key = ctx.settings.resolved_secret_key()
    return open_link(ctx.session, token=token, key=key, now=ctx.now)


def for_api(ctx: Context, open_link: Opener[T_co], token: str) -> T_co:
    """What the link opens; a link that opens nothing is refused with its status."""
    try:
        return _opened(ctx, open_link, token)
    except (LinkRefused, AnswerRefused) as refused:
        raise Refusal(STATUS[refused.reason], refused.msgid) from refused


def wanted(lang: str | None) -> str | None:
    """The language asked for in the link's URL, when it is one we speak."""
    return lang if lang in LANGUAGES else None


def for_page(
    ctx: Context, open_link: Opener[T_co], token: str, *, lang: str | None, refused_page: str
) -> T_co:
    """What the link opens; a link that opens nothing is answered with its own page.

    That page is in the language asked for in the URL, else the browser's.
    """
    try:
        return _opened(ctx, open_link, token)
    except (LinkRefused, AnswerRefused) as refused:
        ctx.request.state.language = wanted(lang) or language.of_request(ctx.request)
        message = error_message(refused, ctx.request.state.language)
        page = ctx.render(refused_page, {"message": message}, status_code=STATUS[refused.reason])
        raise Answered(page) from refused
