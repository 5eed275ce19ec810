"""Every error answers JSON with a clear, translated message; no stack trace reaches a client."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from models.errors import N_, DomainError, NotFound
from service.i18n import error_message, translations
from service.web import language

log = logging.getLogger(__name__)


class Refusal(Exception):
    """An HTTP refusal with a message id that is translated for the reader."""

    def __init__(self, status: int, msgid: str, **params: Any) -> None:
        self.status = status
        self.error = DomainError(msgid, **params)
        super().__init__(msgid)


def _json(request: Request, status: int, error: DomainError) -> JSONResponse:
    body: dict[str, Any] = {"detail": error_message(error, language.of_request(request))}
    if error.field:
        body["field"] = error.field
    return JSONResponse(body, status_code=status)


def _wants_html(request: Request) -> bool:
    return (
        request.method == "GET"
        and not request.url.path.startswith("/api/")
        and "text/html" in request.headers.get("accept", "")
    )


def install(app: FastAPI, *, not_signed_in: type[Exception]) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(not_signed_in)
    async def _not_signed_in(request: Request, _: Exception) -> Response:
        if _wants_html(request):
            return RedirectResponse("/sign-in", status_code=303)
        return _json(request, 401, DomainError(N_("Sign in first.")))

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> Response:
        return _json(request, exc.status, exc.error)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _json(request, 404, exc)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return _json(request, 422, exc)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        gettext = translations(language.of_request(request)).gettext
        messages = {404: N_("Not found."), 405: N_("This method is not allowed here.")}
        detail = gettext(messages[exc.status_code]) if exc.status_code in messages else exc.detail
        return JSONResponse(
            {"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        gettext = translations(language.of_request(request)).gettext
        fields = [".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()]
        return JSONResponse(
            {"detail": gettext(N_("Some fields are missing or not valid.")), "fields": fields},
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> Response:
        # The route template, not the URL: URLs may carry sign-in or feed tokens.
        route = getattr(request.scope.get("route"), "path", "?")
        log.exception("unhandled error on %s %s", request.method, route)
        gettext = translations(language.of_request(request)).gettext
        return JSONResponse(
            {"detail": gettext(N_("Something went wrong on our side. Please try again later."))},
            status_code=500,
        )
