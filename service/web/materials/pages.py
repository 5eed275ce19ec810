"""A meeting's materials page: the list, and adding, replacing and removing for the chair."""

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import FileResponse, HTMLResponse, Response

from models import limits
from service.access.permissions import Access, allows
from service.materials import materials
from service.web.deps import IdPath
from service.web.materials.files import IncomingFile, ShelfDep, download
from service.web.meetings.pages import MEETING
from service.web.scope import At, ChairAct, MeetingAt, Reader
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, View, done

router = APIRouter(prefix=MEETING + "/materials")
Title = Annotated[str, Form(max_length=limits.MATERIAL_TITLE)]
Url = Annotated[str, Form(max_length=limits.URL)]
Version = Annotated[int | None, Query(ge=1, le=100_000)]


def materials_view(
    ctx: Context, at: MeetingAt, *, error: str | None = None, status_code: int = 200
) -> Response:
    """The meeting's materials as a table, with the chair's forms below it."""
    return ctx.render(
        "pages/materials.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "listed": materials.listing(ctx.session, meeting_id=at.meeting_id),
            "can_write": allows(
                Access.group_chair, ctx.principal, writes=True, group_id=at.group.id
            ),
            "title_max": limits.MATERIAL_TITLE,
            "url_max": limits.URL,
            "max_megabytes": ctx.settings.material_max_megabytes,
            "error": error,
        },
        status_code=status_code,
    )


def _done(ctx: Context, at: MeetingAt, notice: str) -> str:
    return done(ctx.path("materials_page", slug=at.group.slug, meeting_id=at.meeting_id), notice)


def materials_refused(ctx: Context, at: MeetingAt) -> View:
    """The page again with the reason a change was refused."""
    return lambda message: materials_view(ctx, at, error=message, status_code=422)


@router.get("", response_class=HTMLResponse)
def materials_page(ctx: Ctx, at: At, _reader: Reader) -> Response:
    """Everything added to the meeting, with the newest version of each file."""
    return materials_view(ctx, at)


@router.post("/files", dependencies=[CsrfChecked])
def add_file_page(ctx: Ctx, at: At, title: Title, file: IncomingFile, act: ChairAct) -> Response:
    """Upload a file as a new material."""
    return ctx.act(
        lambda: materials.add_file(
            ctx.session,
            meeting_id=at.meeting_id,
            title=title,
            **file,
            **act.by,
        ),
        done=_done(ctx, at, "material_added"),
        refused=materials_refused(ctx, at),
    )


@router.post("/links", dependencies=[CsrfChecked])
def add_link_page(ctx: Ctx, at: At, title: Title, url: Url, act: ChairAct) -> Response:
    """Add a link as a new material."""
    return ctx.act(
        lambda: materials.add_link(
            ctx.session, meeting_id=at.meeting_id, title=title, url=url, **act.by
        ),
        done=_done(ctx, at, "material_added"),
        refused=materials_refused(ctx, at),
    )


@router.post("/{material_id}/versions", dependencies=[CsrfChecked])
def replace_file_page(
    ctx: Ctx, at: At, material_id: IdPath, file: IncomingFile, act: ChairAct
) -> Response:
    """Add a new version of a file; the earlier versions stay readable."""
    return ctx.act(
        lambda: materials.replace_file(
            ctx.session,
            meeting_id=at.meeting_id,
            material_id=material_id,
            **file,
            **act.by,
        ),
        done=_done(ctx, at, "material_replaced"),
        refused=materials_refused(ctx, at),
    )


@router.post("/{material_id}/remove", dependencies=[CsrfChecked])
def remove_material_page(ctx: Ctx, at: At, material_id: IdPath, act: ChairAct) -> Response:
    """Take a material off the meeting (it stays on record)."""
    return ctx.act(
        lambda: materials.remove(
            ctx.session, meeting_id=at.meeting_id, material_id=material_id, **act.by
        ),
        done=_done(ctx, at, "material_removed"),
        refused=materials_refused(ctx, at),
    )


@router.get("/{material_id}/file")
def download_material(
    ctx: Ctx, at: At, material_id: IdPath, shelf: ShelfDep, _reader: Reader, version: Version = None
) -> FileResponse:
    """The file (its latest version, or the one asked for), as an attachment."""
    found = materials.version(
        ctx.session, meeting_id=at.meeting_id, material_id=material_id, number=version
    )
    return download(shelf, found)
