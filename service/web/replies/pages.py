"""The secretariat's page of mailbox messages that were left for a person, with why."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.access.permissions import Access
from service.replies import unmatched
from service.web.security import require
from service.web.views import Ctx

router = APIRouter(dependencies=[require(Access.secretariat)])


@router.get("/replies/unmatched", response_class=HTMLResponse)
def unmatched_page(ctx: Ctx) -> Response:
    """Answers in the organizer's mailbox that matched nothing: where they are and why."""
    return ctx.render("pages/replies_unmatched.html", {"messages": unmatched.listed(ctx.session)})
