"""The secretariat's mail pages: what failed, the local mailbox, and every message previewed."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.access.permissions import Access
from service.mail import mailbox, previews
from service.web.security import require
from service.web.views import Ctx

router = APIRouter(dependencies=[require(Access.secretariat)])


@router.get("/mailbox", response_class=HTMLResponse)
def mailbox_page(ctx: Ctx) -> Response:
    """What could not be delivered, and (embedded default) what would have been sent."""
    local = ctx.settings.smtp_host is None
    return ctx.render(
        "pages/mailbox.html",
        {
            "failed": mailbox.failed(ctx.session),
            "local": local,
            "mails": mailbox.read(ctx.settings.mailbox_dir) if local else [],
        },
    )


@router.get("/emails/preview", response_class=HTMLResponse)
def email_preview_page(ctx: Ctx) -> Response:
    """Every kind of message with demo data, in each language."""
    return ctx.render("pages/email_preview.html", {"previews": previews.all_previews()})
