"""Server-rendered pages."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.access.permissions import Access, Principal, allows
from service.directory import groups
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import require

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def home(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.signed_in)],
) -> Response:
    """The working groups with this year's theme and their next meeting."""
    rows = groups.overview(session, now=now)
    readable = {
        row.group.id
        for row in rows
        if allows(Access.group_read, principal, writes=False, group_id=row.group.id)
    }
    return render(request, settings, "pages/home.html", {"rows": rows, "readable": readable})
