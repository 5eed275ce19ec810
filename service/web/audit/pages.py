"""The audit log: who changed what, when, with the values before and after."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service import audit
from service.access.permissions import Access
from service.directory import people
from service.web.audit import words
from service.web.security import require
from service.web.views import Ctx

router = APIRouter(dependencies=[require(Access.secretariat)])


@router.get("/audit", response_class=HTMLResponse)
def audit_page(ctx: Ctx) -> Response:
    """Who changed what, when, before and after."""
    entries = audit.recent(ctx.session, limit=200)
    names = people.names(ctx.session, ids=(e.actor_id for e in entries))
    rows = [
        {
            "entry": e,
            "what": words.what(e, ctx.gettext),
            "changes": words.changes(e, ctx.gettext, ctx.language),
            "actor": names.get(e.actor_id, e.actor_label) if e.actor_id else e.actor_label,
        }
        for e in entries
    ]
    return ctx.render("pages/audit.html", {"entries": rows})
