"""The annual report helper for the secretariat: a page, and the Markdown and CSV downloads."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.access.permissions import Access
from service.clock import local_today
from service.reports import annual_report
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import require

router = APIRouter()
Secretariat = [require(Access.secretariat)]
Year = Annotated[int, Query(ge=2000, le=2100)]


@router.get("/reports/annual", response_class=HTMLResponse, dependencies=Secretariat)
def annual_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """A year's report per group, with links to download it."""
    chosen = year or local_today(now).year - 1
    report = annual_report.build(session, year=chosen)
    return render(
        request,
        settings,
        "pages/annual_report.html",
        {"year": chosen, "report": report, "markdown": annual_report.markdown(report, year=chosen)},
    )


@router.get("/reports/annual.md", dependencies=Secretariat)
def annual_markdown(session: SessionDep, year: Year) -> Response:
    """The report as Markdown, in Dutch, for the jaarverslag."""
    text = annual_report.markdown(annual_report.build(session, year=year), year=year)
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="jaarverslag-{year}.md"'},
    )


@router.get("/reports/annual.csv", dependencies=Secretariat)
def annual_csv(session: SessionDep, year: Year) -> Response:
    """The report as CSV, in Dutch, one line per group."""
    text = annual_report.csv_text(annual_report.build(session, year=year))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="jaarverslag-{year}.csv"'},
    )
