"""Every error answers with a clear, translated message; no stack trace reaches anyone.

The API answers JSON (`{"detail": ..., "field": ...}`); a browser gets a page in the reader's
language with a way back. A 500 carries the same security headers as every other answer.
"""

import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from models.errors import N_, DomainError, Forbidden, NotFound, TooManyRequests
from service.i18n import error_message, translations
from service.web import language
from service.web.refusal import Answered, Refusal
from service.web.security import CSRF_COOKIE, csrf_token, secure_headers
from service.web.templating import templates

log = logging.getLogger(__name__)

TITLES = {
    401: N_("Sign in first"),
    403: N_("You are not allowed to do this"),
    404: N_("Not found"),
    405: N_("Not allowed here"),
    410: N_("No longer available"),
    422: N_("Not accepted"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}

# The status a refusal of the domain answers with, by its kind; any other refusal: 422.
DOMAIN_STATUS: dict[type[DomainError], int] = {NotFound: 404, Forbidden: 403, TooManyRequests: 429}


class ErrorResponse(BaseModel):
    """Every refusal: a message in the reader's language, and the field it is about."""

    detail: str
    field: str | None = None
    fields: list[str] | None = None


# The answers every API route documents besides its own.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (401, "Not signed in, or the API key is not valid"),
        (403, "Not allowed for your role"),
        (404, "Not found"),
        (422, "The input was refused"),
        (429, "Too many requests"),
        (500, "Something went wrong on our side"),
    )
}


# What pydantic's error types mean, as a person reads them (the first error found is shown).
_INVALID = {
    "string_too_long": N_("This text is too long: at most %(max_length)s characters."),
    "string_too_short": N_("This text is too short: at least %(min_length)s characters."),
    "too_long": N_("This list is too long: at most %(max_length)s entries."),
    "too_short": N_("This list is too short: at least %(min_length)s entries."),
    "missing": N_("Some fields are missing or not valid."),
    "timezone_aware": N_("Times must carry their time zone."),
    "greater_than_equal": N_("This must be at least %(ge)s."),
    "greater_than": N_("This must be more than %(gt)s."),
    "less_than_equal": N_("This must be at most %(le)s."),
    "less_than": N_("This must be less than %(lt)s."),
    "int_parsing": N_("This must be a whole number."),
    "int_type": N_("This must be a whole number."),
    "datetime_parsing": N_("This is not a valid date and time."),
    "datetime_from_date_parsing": N_("This is not a valid date and time."),
    "date_parsing": N_("This is not a valid date."),
    "date_from_datetime_parsing": N_("This is not a valid date."),
    "enum": N_("This is not one of the choices offered."),
    "literal_error": N_("This is not one of the choices offered."),
    "extra_forbidden": N_("This field is not accepted here."),
    "string_pattern_mismatch": N_("This is not written the way it should be."),
    "nul_character": N_("This text holds a character that cannot be stored (NUL)."),
    "value_error": N_("Some fields are missing or not valid."),
}


def api_router(prefix: str, tag: str) -> APIRouter:
    """The router of an API module: its routes under `prefix`, documented with every error."""
    return APIRouter(prefix=prefix, tags=[tag], responses=API_ERRORS)


def invalid(kind: str, params: dict[str, Any]) -> DomainError:
    """A refusal for a request that did not fit its schema, saying what was wrong."""
    msgid = _INVALID.get(kind, N_("Some fields are missing or not valid."))
    wanted = {k: v for k, v in params.items() if f"%({k})s" in msgid}
    return DomainError(msgid, **wanted)


def wants_html(request: Request) -> bool:
    """Whether the request comes from a browser page rather than a script."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def _answer(
    request: Request,
    status: int,
    detail: str,
    *,
    field: str | None = None,
    fields: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if wants_html(request):
        return _page(request, status, detail, headers)
    body: dict[str, Any] = {"detail": detail}
    if field:
        body["field"] = field
    if fields:
        body["fields"] = fields
    return JSONResponse(body, status_code=status, headers=headers)


def _page(request: Request, status: int, detail: str, headers: dict[str, str] | None) -> Response:
    reader = language.of_request(request)
    settings = request.app.state.settings
    has_csrf = getattr(request.state, "csrf_cookie", None) or request.cookies.get(CSRF_COOKIE)
    return templates(reader).TemplateResponse(
        request,
        "pages/error.html",
        {
            "status": status,
            "title": translations(reader).gettext(TITLES.get(status, TITLES[500])),
            "detail": detail,
            "principal": getattr(request.state, "principal", None),
            "csrf_token": csrf_token(request, settings) if has_csrf else "",
        },
        status_code=status,
        headers=headers,
    )


def _gettext(request: Request, message: str) -> str:
    return translations(language.of_request(request)).gettext(message)


def install(app: FastAPI, *, not_signed_in: type[Exception]) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(not_signed_in)
    async def _not_signed_in(request: Request, _: Exception) -> Response:
        if request.method == "GET" and wants_html(request):
            return RedirectResponse("/sign-in", status_code=303)
        return _answer(request, 401, _gettext(request, N_("Sign in first.")))

    @app.exception_handler(Answered)
    async def _answered(_request: Request, exc: Answered) -> Response:
        return exc.response

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> Response:
        message = error_message(exc.error, language.of_request(request))
        return _answer(request, exc.status, message, field=exc.error.field)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        status = next((s for kind, s in DOMAIN_STATUS.items() if isinstance(exc, kind)), 422)
        message = error_message(exc, language.of_request(request))
        return _answer(request, status, message, field=exc.field)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        messages = {404: N_("Not found."), 405: N_("This method is not allowed here.")}
        detail = (
            _gettext(request, messages[exc.status_code])
            if exc.status_code in messages
            else str(exc.detail)
        )
        return _answer(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        found = exc.errors()
        fields = [".".join(str(p) for p in e.get("loc", ())) for e in found]
        first = found[0] if found else {}
        error = invalid(first.get("type", ""), first.get("ctx") or {})
        detail = error_message(error, language.of_request(request))
        field = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return _answer(request, 422, detail, field=field, fields=fields)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> Response:
        # The route template, not the URL: URLs may carry sign-in or feed tokens.
        route = getattr(request.scope.get("route"), "path", "?")
        log.exception("unhandled error on %s %s", request.method, route)
        detail = _gettext(request, N_("Something went wrong on our side. Please try again later."))
        try:
            response = _answer(request, 500, detail)
        except Exception:  # the error page itself failed: plain JSON still answers
            log.exception("the error page could not be rendered")
            response = JSONResponse({"detail": detail}, status_code=500)
        # This answer leaves from outside the middleware stack: it gets the headers here.
        secure_headers(response, path=request.url.path)
        return response
