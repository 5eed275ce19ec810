"""The start page, a group's page, and your own data."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from models.groups import WorkingGroup
from service.access.permissions import Access, Principal, allows
from service.directory import groups, organisations
from service.lifecycle import step_failures
from service.meetings import meetings
from service.paging import Paging
from service.web.scope import AnyoneSignedIn, GroupDep, Reader
from service.web.views import Context, Ctx
from service.web.work import lines as work_lines

router = APIRouter()
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
# Groups per page of the home page, and meetings per page of a group's page.
GROUP_ROWS = 100
MEETING_ROWS = 50


@router.get("/", response_class=HTMLResponse)
def home(
    ctx: Ctx, principal: AnyoneSignedIn, work_page: PageNumber = 1, groups_page: PageNumber = 1
) -> Response:
    """What waits for you (secretariat, chairs), and the groups with their next meeting."""
    return ctx.render("pages/home.html", _home(ctx, principal, work_page, groups_page))


def _home(
    ctx: Context, principal: Principal | None, work_page: int, groups_page: int
) -> dict[str, object]:
    paging = Paging(number=groups_page, size=GROUP_ROWS, total=0)
    rows, paging = groups.overview_page(ctx.session, now=ctx.now, paging=paging)
    readable = {
        row.group.id
        for row in rows
        if allows(Access.group_read, principal, writes=False, group_id=row.group.id)
    }
    work = work_lines.for_page(ctx, principal, work_page)
    # The secretariat sees the meetings whose automatic steps are failing.
    failing = step_failures.listed(ctx.session) if principal and principal.is_secretariat else []
    return {"rows": rows, "readable": readable, "work": work, "step_failures": failing} | {
        "groups_paging": paging
    }


def group_view(
    ctx: Context,
    group: WorkingGroup,
    *,
    page: int | None = None,
) -> Response:
    """A group's page: a page of its meetings, and the chair's and secretariat's changes."""
    assert group.id is not None
    principal: Principal | None = getattr(ctx.request.state, "principal", None)
    shown, paging = meetings.page_for_group(
        ctx.session, group_id=group.id, now=ctx.now, number=page, size=MEETING_ROWS
    )
    return ctx.render(
        "pages/group.html",
        {
            "group": group,
            "meetings": shown,
            "meetings_paging": paging,
            "can_edit": principal is not None and principal.manages(group.id),
        },
    )


@router.get("/groups/{slug}", response_class=HTMLResponse)
def group_page(
    ctx: Ctx, group: GroupDep, _reader: Reader, meetings_page: PageNumber | None = None
) -> Response:
    """A group's meetings, with the secretariat's and chair's changes."""
    return group_view(ctx, group, page=meetings_page)


@router.get("/me", response_class=HTMLResponse)
def me_page(ctx: Ctx, principal: AnyoneSignedIn) -> Response:
    """Your own data, with the download of everything about you."""
    assert principal is not None
    organisation = organisations.get(ctx.session, organisation_id=principal.person.organisation_id)
    return ctx.render("pages/me.html", {"organisation": organisation})
