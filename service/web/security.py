"""Who is asking, and whether the route's rule lets them: sessions, API keys, CSRF, headers."""

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request, Response
from starlette.middleware.base import BaseHTTPMiddleware

from models.errors import N_
from service import tokens
from service.access import api_keys, sign_in
from service.access.permissions import Access, Principal, allows, principal_for
from service.directory import groups
from service.replies import stand_ins
from service.settings import Settings
from service.web.deps import MAX_ID, NowDep, Session, SessionDep
from service.web.refusal import Refusal

access_log = logging.getLogger("overleg.access")
SESSION_COOKIE = "overleg_session"
CSRF_COOKIE = "overleg_csrf"
CSRF_FIELD = "csrf_token"
# Scripts that use the session cookie (rather than an API key) send the token in this header.
CSRF_HEADER = "x-csrf-token"
CSRF_PURPOSE = "csrf"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class NotSignedIn(Exception):
    """Raised when a rule needs a signed-in person and there is none."""


def _resolve(request: Request, session: Session, now: Any) -> Principal | None:
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    person = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        person = api_keys.person_for_key(session, secret=authorization[7:].strip(), now=now)
        if person is None:
            raise Refusal(401, N_("This API key is not valid or has been revoked."))
    elif cookie := request.cookies.get(SESSION_COOKIE):
        person = sign_in.person_for_session(session, token=cookie, now=now)
        request.state.by_cookie = person is not None
    if person is not None:
        # A detached snapshot: error handlers read it after the request's session rolled back.
        session.expunge(person)
    principal = None if person is None else principal_for(session, person=person, on=now.date())
    request.state.principal = principal
    return principal


class Require:
    """A route's rule, as a dependency; the authorisation test finds it on every route."""

    def __init__(self, access: Access) -> None:
        self.access = access

    def __call__(self, request: Request, session: SessionDep, now: NowDep) -> Principal | None:
        """Let the request through, or refuse it with 401 (not signed in) or 403."""
        principal = _resolve(request, session, now)
        group_id = None
        if self.access in _GROUP_RULES:
            group_id = groups.get_by_slug(session, slug=request.path_params["slug"]).id
        writes = request.method not in _SAFE_METHODS
        if writes and getattr(request.state, "by_cookie", False):
            _check_api_csrf(request)
        if allows(self.access, principal, writes=writes, group_id=group_id):
            return principal
        if principal is None:
            raise NotSignedIn
        if self.access is Access.meeting_read and _stands_in(request, session, principal, group_id):
            return principal
        raise Refusal(403, N_("You are not allowed to do this."))


_GROUP_RULES = (Access.group_read, Access.meeting_read, Access.group_member, Access.group_chair)


def _stands_in(
    request: Request, session: Session, principal: Principal, group_id: int | None
) -> bool:
    """Whether the person stands in at the meeting of the path (a malformed id: no meeting)."""
    raw = request.path_params.get("meeting_id", "")
    if group_id is None or not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID):
        return False
    return stand_ins.may_read(
        session, group_id=group_id, meeting_id=int(raw), person=principal.person
    )


def _check_api_csrf(request: Request) -> None:
    """A JSON write on the session cookie alone could come from another site: want the token.

    Form posts are checked by `verify_csrf`; API keys are not sent by browsers on their own.
    """
    if not request.url.path.startswith("/api/"):
        return
    if not _csrf_valid(request, request.headers.get(CSRF_HEADER)):
        raise Refusal(
            403,
            N_("Send the X-CSRF-Token header with a session cookie, or use an API key."),
        )


def require(access: Access) -> Any:
    """The dependency marker for a route's rule."""
    return Depends(Require(access))


def signed_in(principal: Principal | None) -> Principal:
    """Narrow an optional principal for routes whose rule already demands a person."""
    if principal is None:
        raise NotSignedIn
    return principal


def _binding(request: Request) -> str:
    """What a CSRF token is bound to: this browser's CSRF cookie and its session, if any."""
    cookie = getattr(request.state, "csrf_cookie", None) or request.cookies.get(CSRF_COOKIE, "")
    session_cookie = request.cookies.get(SESSION_COOKIE)
    return f"{cookie}:{tokens.digest(session_cookie)[:32] if session_cookie else ''}"


def _csrf_valid(request: Request, token: object) -> bool:
    settings: Settings = request.app.state.settings
    if not isinstance(token, str) or not request.cookies.get(CSRF_COOKIE):
        return False
    value = tokens.unsign(token, key=settings.resolved_secret_key(), purpose=CSRF_PURPOSE)
    return value is not None and tokens.same(value, _binding(request))


async def verify_csrf(request: Request) -> None:
    """Refuse a form post whose token does not match this browser's cookie and session."""
    form = await request.form()
    if not _csrf_valid(request, form.get(CSRF_FIELD)):
        raise Refusal(
            403, N_("This form has expired or is not valid. Reload the page and try again.")
        )


CsrfChecked = Depends(verify_csrf)


def csrf_token(request: Request, settings: Settings) -> str:
    """The hidden-field (and X-CSRF-Token header) value for this browser and session."""
    return tokens.sign(_binding(request), key=settings.resolved_secret_key(), purpose=CSRF_PURPOSE)


def set_csrf_cookie(response: Response, value: str, settings: Settings) -> None:
    """Give the browser a CSRF cookie (a new one at sign-in, so old tokens stop working)."""
    response.set_cookie(
        CSRF_COOKIE, value, httponly=True, samesite="lax", secure=settings.cookie_secure, path="/"
    )


def start_session(response: Response, secret: str, settings: Settings) -> None:
    """Keep a new session in the browser, and renew its CSRF cookie so old tokens stop working."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_days * 86400,
        path="/",
    )
    set_csrf_cookie(response, tokens.new_secret(), settings)


def secure_headers(response: Response, *, path: str) -> None:
    """The headers every answer carries, errors included."""
    headers = response.headers
    if not path.startswith("/docs"):
        headers.setdefault("Content-Security-Policy", _CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "no-store")


class SecurityHeaders(BaseHTTPMiddleware):
    """Set the CSRF cookie when missing and the security headers on every response."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Wrap one request."""
        settings: Settings = request.app.state.settings
        existing = request.cookies.get(CSRF_COOKIE)
        request.state.csrf_cookie = existing or tokens.new_secret()
        started = time.perf_counter()
        response = await call_next(request)
        # The route's template, never the URL: paths carry sign-in, form and feed tokens.
        route = getattr(request.scope.get("route"), "path", "-")
        access_log.info(
            "%s %s %s %.1fms",
            request.method,
            route,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        if existing is None:
            set_csrf_cookie(response, request.state.csrf_cookie, settings)
        secure_headers(response, path=request.url.path)
        return response
