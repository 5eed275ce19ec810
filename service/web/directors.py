"""The directors' overview across all groups and programmes, with its CSV and Excel exports."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from models.deliverables import DeliverableStatus
from service.access.permissions import Access
from service.deliverables.rag import Rag
from service.i18n import translations
from service.reports import charts, exports, portfolio
from service.reports.portfolio import Filters, Overview
from service.web import labels, language
from service.web.deps import NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import require

router = APIRouter()
ReadAll = [require(Access.read_all)]
Slug = Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]*$")]
StatusFilter = Literal[
    "",
    "planned",
    "in_progress",
    "at_risk",
    "blocked",
    "delivered",
    "dropped",
    "red",
    "amber",
    "green",
]


def _filters(
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: StatusFilter = "",
) -> Filters:
    return Filters(
        programme=programme or None,
        group=group or None,
        organisation=organisation or None,
        status=status or None,
    )


def _build(
    request: Request, session: Session, now: NowDep, filters: Filters
) -> tuple[Overview, list[list[str]], dict[str, str], dict[str, str]]:
    reader = language.of_request(request)
    gettext = translations(reader).gettext
    status_names = labels.translated(labels.DELIVERABLE_STATUS, gettext)
    colour_names = labels.translated(labels.COLOURS, gettext)
    overview = portfolio.overview(session, now=now, filters=filters)
    rows = exports.table(
        overview,
        gettext=gettext,
        language=reader,
        status_names=status_names,
        colour_names=colour_names,
    )
    return overview, rows, status_names, colour_names


@router.get("/directors", response_class=HTMLResponse, dependencies=ReadAll)
def directors_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: StatusFilter = "",
) -> Response:
    """All groups at a glance: next meeting, meetings held, open work by colour, slips."""
    filters = _filters(programme, group, organisation, status)
    overview, rows, status_names, colour_names = _build(request, session, now, filters)
    gettext = translations(language.of_request(request)).gettext
    series = [s.value for s in DeliverableStatus]
    status_chart = charts.stacked_bars(
        [
            (
                # The short name before the dash: "OBMi", not the whole expansion.
                line.programme.name.split(" – ")[0] if line.programme else gettext("No programme"),
                [line.by_status[s] for s in series],
            )
            for line in overview.programmes
        ],
        series,
        status_names,
    )
    quarter_chart = charts.columns(
        overview.delivered_per_quarter, series="delivered", name=gettext("Delivered")
    )
    query = "&".join(
        f"{key}={value}"
        for key, value in (
            ("programme", filters.programme),
            ("group", filters.group),
            ("organisation", filters.organisation),
            ("status", filters.status),
        )
        if value
    )
    return render(
        request,
        settings,
        "pages/directors.html",
        {
            "overview": overview,
            "rows": rows,
            "status_names": status_names,
            "colour_names": colour_names,
            "colours": [c.value for c in Rag],
            "status_chart": status_chart,
            "quarter_chart": quarter_chart,
            "query": query,
        },
    )


@router.get("/directors/export.csv", dependencies=ReadAll)
def export_csv(
    request: Request,
    session: SessionDep,
    now: NowDep,
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: StatusFilter = "",
) -> Response:
    """The deliverables of the overview as CSV (UTF-8, comma-separated)."""
    _, rows, _, _ = _build(request, session, now, _filters(programme, group, organisation, status))
    return Response(
        exports.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="deliverables.csv"'},
    )


@router.get("/directors/export.xlsx", dependencies=ReadAll)
def export_xlsx(
    request: Request,
    session: SessionDep,
    now: NowDep,
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: StatusFilter = "",
) -> Response:
    """The deliverables of the overview as an Excel workbook."""
    _, rows, _, _ = _build(request, session, now, _filters(programme, group, organisation, status))
    title = translations(language.of_request(request)).gettext("Deliverables")
    return Response(
        exports.to_xlsx(rows, title=title),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="deliverables.xlsx"'},
    )
