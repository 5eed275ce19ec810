"""Server-rendered pages."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service import groups
from service.web.deps import NowDep, SessionDep
from service.web.templating import templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: SessionDep, now: NowDep) -> HTMLResponse:
    """The working groups with this year's theme and their next meeting."""
    rows = groups.overview(session, now=now)
    return templates("nl").TemplateResponse(request, "pages/home.html", {"rows": rows})
