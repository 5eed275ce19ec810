"""Sign in with a link by email, and sign out."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models import limits
from models.errors import DomainError
from service.access import sign_in
from service.access.permissions import Access
from service.followups import DeliverNow, FollowUps
from service.i18n import error_message
from service.settings import Settings
from service.web.security import SESSION_COOKIE, CsrfChecked, require, start_session
from service.web.triggers import AfterDep
from service.web.views import Context, Ctx

router = APIRouter(dependencies=[require(Access.public)])
Email = Annotated[str, Form(max_length=limits.EMAIL)]


def policy(settings: Settings) -> sign_in.SignInPolicy:
    """The sign-in policy from the settings."""
    return sign_in.SignInPolicy(
        secret_key=settings.resolved_secret_key(),
        base_url=settings.public_url,
        link_lifetime=timedelta(minutes=settings.sign_in_link_minutes),
        session_lifetime=timedelta(days=settings.session_days),
    )


def send_link(ctx: Context, email: str, after: FollowUps) -> None:
    """Queue a sign-in link and send it at once (both doors), refused when asked too often."""
    client = ctx.request.client.host if ctx.request.client else "unknown"
    sign_in.request_link(
        ctx.session, email=email, client=client, policy=policy(ctx.settings), now=ctx.now
    )
    after.add(DeliverNow(urgent=True))


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(ctx: Ctx) -> Response:
    """The form that asks for an email address."""
    return ctx.render("pages/sign_in.html", {})


@router.post("/sign-in", response_class=HTMLResponse, dependencies=[CsrfChecked])
def sign_in_request(ctx: Ctx, email: Email, after: AfterDep) -> Response:
    """Queue a link; the answer is the same whether or not the address is known."""
    try:
        send_link(ctx, email, after)
    except DomainError as refused:
        message = error_message(refused, ctx.language)
        return ctx.render("pages/sign_in.html", {"error": message}, status_code=429)
    minutes = ctx.settings.sign_in_link_minutes
    return ctx.render("pages/sign_in.html", {"sent": True, "minutes": minutes})


@router.get("/sign-in/{token}", response_class=HTMLResponse)
def sign_in_confirm(ctx: Ctx, token: str) -> Response:
    """Check the link and show a button that spends it."""
    try:
        sign_in.check_link(ctx.session, token=token, policy=policy(ctx.settings), now=ctx.now)
    except DomainError as refused:
        message = error_message(refused, ctx.language)
        return ctx.render("pages/sign_in_confirm.html", {"error": message}, status_code=400)
    return ctx.render("pages/sign_in_confirm.html", {})


@router.post("/sign-in/{token}", dependencies=[CsrfChecked])
def sign_in_use(ctx: Ctx, token: str) -> Response:
    """Spend the link, start a session (and a new CSRF cookie), and go to the start page."""
    try:
        secret = sign_in.use_link(
            ctx.session, token=token, policy=policy(ctx.settings), now=ctx.now
        )
    except DomainError as refused:
        message = error_message(refused, ctx.language)
        return ctx.render("pages/sign_in_confirm.html", {"error": message}, status_code=400)
    response = RedirectResponse(ctx.path("home"), status_code=303)
    start_session(response, secret, ctx.settings)
    return response


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(ctx: Ctx) -> Response:
    """Revoke this browser's session and forget the cookie."""
    if token := ctx.request.cookies.get(SESSION_COOKIE):
        sign_in.sign_out(ctx.session, token=token, now=ctx.now)
    response = RedirectResponse(ctx.path("sign_in_form"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
