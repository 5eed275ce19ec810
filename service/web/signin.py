"""Sign in with a link by email, and sign out."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import DomainError
from service.access import sign_in
from service.access.permissions import Access
from service.i18n import error_message
from service.settings import Settings
from service.web import language
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import SESSION_COOKIE, CsrfChecked, require
from service.web.triggers import TriggersDep

router = APIRouter()


def policy(settings: Settings) -> sign_in.SignInPolicy:
    """The sign-in policy from the settings."""
    return sign_in.SignInPolicy(
        secret_key=settings.resolved_secret_key(),
        base_url=settings.public_url,
        link_lifetime=timedelta(minutes=settings.sign_in_link_minutes),
        session_lifetime=timedelta(days=settings.session_days),
    )


@router.get("/sign-in", response_class=HTMLResponse, dependencies=[require(Access.public)])
def sign_in_form(request: Request, settings: SettingsDep) -> Response:
    """The form that asks for an email address."""
    return render(request, settings, "pages/sign_in.html", {})


@router.post(
    "/sign-in", response_class=HTMLResponse, dependencies=[require(Access.public), CsrfChecked]
)
def sign_in_request(
    request: Request,
    background: BackgroundTasks,
    triggers: TriggersDep,
    email: Annotated[str, Form(max_length=254)],
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Queue a link; the answer is the same whether or not the address is known."""
    client = request.client.host if request.client else "unknown"
    try:
        sign_in.request_link(session, email=email, client=client, policy=policy(settings), now=now)
    except DomainError as refused:
        message = error_message(refused, language.of_request(request))
        return render(request, settings, "pages/sign_in.html", {"error": message}, status_code=429)
    # After the response, so after the commit: the flow must find the queued link.
    background.add_task(triggers.deliver_now)
    return render(
        request,
        settings,
        "pages/sign_in.html",
        {"sent": True, "minutes": settings.sign_in_link_minutes},
    )


@router.get("/sign-in/{token}", response_class=HTMLResponse, dependencies=[require(Access.public)])
def sign_in_confirm(
    request: Request, token: str, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Check the link and show a button that spends it."""
    try:
        sign_in.check_link(session, token=token, policy=policy(settings), now=now)
    except DomainError as refused:
        message = error_message(refused, language.of_request(request))
        return render(
            request, settings, "pages/sign_in_confirm.html", {"error": message}, status_code=400
        )
    return render(request, settings, "pages/sign_in_confirm.html", {})


@router.post("/sign-in/{token}", dependencies=[require(Access.public), CsrfChecked])
def sign_in_use(
    request: Request, token: str, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Spend the link, set the session cookie, and go to the start page."""
    try:
        secret = sign_in.use_link(session, token=token, policy=policy(settings), now=now)
    except DomainError as refused:
        message = error_message(refused, language.of_request(request))
        return render(
            request, settings, "pages/sign_in_confirm.html", {"error": message}, status_code=400
        )
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_days * 86400,
        path="/",
    )
    return response


@router.post("/sign-out", dependencies=[require(Access.public), CsrfChecked])
def sign_out(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Revoke this browser's session and forget the cookie."""
    if token := request.cookies.get(SESSION_COOKIE):
        sign_in.sign_out(session, token=token, now=now)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
