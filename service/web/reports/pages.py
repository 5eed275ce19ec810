"""The directors' overview with its CSV and Excel exports, and the annual report helper."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from models.deliverables import DeliverableStatus
from service.access.permissions import Access
from service.clock import local_today
from service.deliverables.rag import Rag
from service.paging import Paging
from service.reports import annual_report, charts, exports, portfolio
from service.reports.portfolio import Filters, Overview
from service.web import labels
from service.web.reports.filters import FiltersDep, query_of
from service.web.security import require
from service.web.views import Context, Ctx

router = APIRouter()
READ_ALL = [require(Access.read_all)]
SECRETARIAT = [require(Access.secretariat)]
Year = Annotated[int, Query(ge=2000, le=2100)]
# Deliverables shown per page of the overview; the exports hold them all.
PAGE_ROWS = 100
# Group lines shown per page of the overview (the API lists them all).
GROUP_LINES = 100
# Programme lines (and bars of the chart) per page of the overview: a network of a hundred
# programmes gets a readable table and chart, a page at a time.
PROGRAMME_LINES = 25
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(
    ctx: Context, filters: Filters, made: Overview | None = None
) -> tuple[Overview, list[list[str]]]:
    overview = made or portfolio.overview(ctx.session, now=ctx.now, filters=filters)
    rows = exports.table(
        overview,
        gettext=ctx.gettext,
        language=ctx.language,
        status_names=labels.translated("deliverable", ctx.gettext),
        colour_names=labels.translated("colour", ctx.gettext),
    )
    return overview, rows


def _charts(ctx: Context, overview: Overview) -> dict[str, charts.Chart]:
    series = [s.value for s in DeliverableStatus]
    status_names = labels.translated("deliverable", ctx.gettext)
    by_programme = [
        (
            # The short name before the dash: "OBMi", not the whole expansion.
            line.programme.name.split(" – ")[0] if line.programme else ctx.gettext("No programme"),
            [line.by_status[s] for s in series],
        )
        for line in overview.programmes
    ]
    return {
        "status_chart": charts.stacked_bars(by_programme, series, status_names),
        "quarter_chart": charts.columns(
            overview.delivered_per_quarter, series="delivered", name=ctx.gettext("Delivered")
        ),
    }


@dataclass(frozen=True)
class Pages:
    """Which page of the overview's deliverables, groups and programmes is shown."""

    page: int
    groups: int
    programmes: int


def _pages(
    page: PageNumber = 1, groups_page: PageNumber = 1, programmes_page: PageNumber = 1
) -> Pages:
    return Pages(page=page, groups=groups_page, programmes=programmes_page)


PagesDep = Annotated[Pages, Depends(_pages)]


def _page(
    ctx: Context, filters: Filters, pages: Pages
) -> tuple[Overview, list[list[str]], dict[str, int]]:
    """The overview with one page of its deliverables, groups and programmes (exports: all)."""
    page = pages.page
    overview = portfolio.overview(
        ctx.session,
        now=ctx.now,
        filters=filters,
        rows_page=Paging(number=page, size=PAGE_ROWS, total=0),
        groups_page=Paging(number=pages.groups, size=GROUP_LINES, total=0),
        programmes_page=Paging(number=pages.programmes, size=PROGRAMME_LINES, total=0),
    )
    _, rows = _table(ctx, filters, overview)
    paging = overview.rows_paging
    shown = {"page": page, "pages": paging.pages, "first": paging.first, "last": paging.last}
    return overview, rows, shown | {"total": paging.total}


@router.get("/directors", response_class=HTMLResponse, dependencies=READ_ALL)
def directors_page(ctx: Ctx, filters: FiltersDep, pages: PagesDep) -> Response:
    """All groups at a glance: next meeting, meetings held, open work by colour, slips."""
    overview, rows, paging = _page(ctx, filters, pages)
    shown = {"overview": overview, "rows": rows, "paging": paging, "query": query_of(filters)}
    return ctx.render(
        "pages/directors.html",
        shown
        | {
            "colours": [c.value for c in Rag],
            "statuses": [s.value for s in DeliverableStatus],
            **_charts(ctx, overview),
        },
    )


@router.get("/directors/export.csv", dependencies=READ_ALL)
def export_csv(ctx: Ctx, filters: FiltersDep) -> Response:
    """The deliverables of the overview as CSV for Belgian Excel (';', UTF-8 with BOM)."""
    _, rows = _table(ctx, filters)
    return Response(
        exports.csv_download(exports.to_csv(rows)),
        media_type=exports.CSV_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="deliverables.csv"'},
    )


@router.get("/directors/export.xlsx", dependencies=READ_ALL)
def export_xlsx(ctx: Ctx, filters: FiltersDep) -> Response:
    """The deliverables of the overview as an Excel workbook."""
    _, rows = _table(ctx, filters)
    workbook = exports.to_xlsx(rows, title=ctx.gettext("Deliverables"))
    disposition = 'attachment; filename="deliverables.xlsx"'
    return Response(workbook, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get("/reports/annual", response_class=HTMLResponse, dependencies=SECRETARIAT)
def annual_page(ctx: Ctx, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    """A year's report per group, with links to download it."""
    chosen = year or local_today(ctx.now).year - 1
    report = annual_report.build(ctx.session, year=chosen)
    markdown = annual_report.markdown(report, year=chosen)
    return ctx.render(
        "pages/annual_report.html", {"year": chosen, "report": report, "markdown": markdown}
    )


@router.get("/reports/annual.md", dependencies=SECRETARIAT)
def annual_markdown(ctx: Ctx, year: Year) -> Response:
    """The report as Markdown, in Dutch, for the jaarverslag."""
    text = annual_report.markdown(annual_report.build(ctx.session, year=year), year=year)
    disposition = f'attachment; filename="jaarverslag-{year}.md"'
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


@router.get("/reports/annual.csv", dependencies=SECRETARIAT)
def annual_csv(ctx: Ctx, year: Year) -> Response:
    """The report as CSV for Belgian Excel, in Dutch, one line per group."""
    text = annual_report.csv_text(annual_report.build(ctx.session, year=year))
    disposition = f'attachment; filename="jaarverslag-{year}.csv"'
    return Response(
        exports.csv_download(text),
        media_type=exports.CSV_MEDIA_TYPE,
        headers={"Content-Disposition": disposition},
    )
