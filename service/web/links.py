"""Personal links (agenda input, homework, answers): what one opens, for its page and its API.

The three links are read the same way and refuse the same way: a link that opens nothing says
why (`reason`), and the edge answers that with one status, as JSON or as the link's own page.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from fastapi import APIRouter

from models.people import Person
from service.access.permissions import Access
from service.db import Session
from service.i18n import LANGUAGES, error_message
from service.mail.links import LinkRefused
from service.web import language
from service.web.errors import API_ERRORS, ErrorResponse
from service.web.refusal import Answered, Refusal
from service.web.security import require
from service.web.views import Context

T_co = TypeVar("T_co", covariant=True)
# A link that opens nothing: unknown or tampered with, spent, or no longer the person's.
STATUS = {"invalid": 404, "expired": 410, "not_member": 403}


class Opener(Protocol[T_co]):
    """A use case that opens a link: `member_form.open_form`, `answering.open_ballot`, ..."""

    def __call__(self, session: Session, *, token: str, key: str, now: datetime) -> T_co:
        """What the link opens now, or the link's refusal with its reason."""
        ...


def api_router(prefix: str, tag: str, *, gone: str) -> APIRouter:
    """The router of a link's API, documented with every refusal and what `gone` (410) means.

    Public: the signed token in the path is the credential.
    """
    return APIRouter(
        prefix=prefix,
        tags=[tag],
        responses={**API_ERRORS, 410: {"model": ErrorResponse, "description": gone}},
        dependencies=[require(Access.public)],
    )


def _opened(ctx: Context, open_link: Opener[T_co], token: str) -> T_co:
    key = ctx.settings.resolved_secret_key()
    return open_link(ctx.session, token=token, key=key, now=ctx.now)


def for_api(ctx: Context, open_link: Opener[T_co], token: str) -> T_co:
    """What the link opens; a link that opens nothing is refused with its status."""
    try:
        return _opened(ctx, open_link, token)
    except LinkRefused as refused:
        raise Refusal(STATUS[refused.reason], refused.msgid) from refused


class _Personal(Protocol):
    @property
    def person(self) -> Person: ...


P = TypeVar("P", bound=_Personal)


@dataclass(frozen=True)
class Visit(Generic[P]):
    """One request to a working link: what it opened, and the language to answer in."""

    ctx: Context
    token: str
    lang: str | None  # the language asked for in the URL, kept on every link and form
    language: str  # the language answered in
    opened: P


def visit(
    ctx: Context, open_link: Opener[P], token: str, *, lang: str | None, refused_page: str
) -> Visit[P]:
    """The visit of a working link; a link that opens nothing is answered with its own page.

    Pages answer in the language asked for in the URL, else the person's own; a link that
    opens nothing, in the one asked for, else the browser's.
    Called in the route, not as a dependency: on SQLite the first query takes the write lock,
    and the rest of the request should follow in the same worker thread (see scope.py).
    """
    wanted = lang if lang in LANGUAGES else None
    try:
        opened = _opened(ctx, open_link, token)
    except LinkRefused as refused:
        ctx.request.state.language = wanted or language.of_request(ctx.request)
        message = error_message(refused, ctx.request.state.language)
        page = ctx.render(refused_page, {"message": message}, status_code=STATUS[refused.reason])
        raise Answered(page) from refused
    # Page rendering reads the request's language.
    ctx.request.state.language = wanted or str(opened.person.language.value)
    return Visit(ctx, token, wanted, ctx.request.state.language, opened)
