"""A meeting's materials page: per agenda item, adding, replacing, removing, the pack."""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from models import limits
from service.access.permissions import Access, allows
from service.materials import materials, pack, places, presenters
from service.web.deps import IdPath
from service.web.materials import api
from service.web.materials.files import IncomingFile, Title, Url
from service.web.materials.places import rights, where
from service.web.meetings.pages import MEETING
from service.web.scope import At, ChairAct, MeetingAt, MeetingReader, ReaderAct
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix=MEETING + "/materials")
Where = Annotated[str, Form(max_length=12)]
Public = Annotated[str, Form(max_length=5)]  # a checkbox: "on" or absent
ItemKey = Annotated[int, Form(ge=1, le=100_000)]
Presenter = Annotated[str, Form(max_length=12)]  # a person's id, or empty for nobody
ROUTES = {
    "download": "download_material",
    "replace": "replace_file_page",
    "remove": "remove_material_page",
    "public": "publish_material_page",
    "public_download": "download_public_material",
}


def materials_view(ctx: Context, at: MeetingAt) -> Response:
    """The meeting's materials in agenda order, with the forms the reader may use."""
    parts = pack.sections(ctx.session, meeting_id=at.meeting_id)
    items = [s.item for s in parts if s.item is not None]
    may = rights(ctx.principal, at.meeting, items)
    return ctx.render(
        "pages/materials.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "sections": parts,
            "rights": may,
            # A stand-in reads this page only: no links into the group's other pages.
            "in_group": allows(
                Access.group_read, ctx.principal, writes=False, group_id=at.group.id
            ),
            "candidates": presenters.candidates(ctx.session, group_id=at.group.id or 0, now=ctx.now)
            if may.manages
            else [],
            "routes": ROUTES,
            "here": {"slug": at.group.slug, "meeting_id": at.meeting_id},
            "title_max": limits.MATERIAL_TITLE,
            "url_max": limits.URL,
            "max_megabytes": ctx.settings.material_max_megabytes,
        },
    )


def _done(ctx: Context, at: MeetingAt, notice: str) -> str:
    return done(ctx.path("materials_page", slug=at.group.slug, meeting_id=at.meeting_id), notice)


@router.get("", response_class=HTMLResponse)
def materials_page(ctx: Ctx, at: At, _reader: MeetingReader) -> Response:
    """Everything added to the meeting and its agenda items, with the newest version of each."""
    return materials_view(ctx, at)


@router.post("/files", dependencies=[CsrfChecked])
def add_file_page(
    ctx: Ctx, at: At, title: Title, file: IncomingFile, act: ReaderAct, item: Where = ""
) -> Response:
    """Upload a file to the meeting or one of its items (the chair, or the item's presenter)."""
    return ctx.act(
        lambda: materials.add_file(
            ctx.session,
            place=where(ctx.session, at.meeting, item),
            title=title,
            **file,
            **act.by,
        ),
        done=_done(ctx, at, "material_added"),
        refused=again(materials_view, ctx, at),
    )


@router.post("/links", dependencies=[CsrfChecked])
def add_link_page(
    ctx: Ctx, at: At, title: Title, url: Url, act: ReaderAct, item: Where = ""
) -> Response:
    """Add a link to the meeting or one of its items."""
    return ctx.act(
        lambda: materials.add_link(
            ctx.session, place=where(ctx.session, at.meeting, item), title=title, url=url, **act.by
        ),
        done=_done(ctx, at, "material_added"),
        refused=again(materials_view, ctx, at),
    )


@router.post("/{material_id}/versions", dependencies=[CsrfChecked])
def replace_file_page(
    ctx: Ctx, at: At, material_id: IdPath, file: IncomingFile, act: ReaderAct
) -> Response:
    """Add a new version of a file; the earlier versions stay readable."""
    return ctx.act(
        lambda: materials.replace_file(
            ctx.session,
            place=places.of_meeting(at.meeting),
            material_id=material_id,
            **file,
            **act.by,
        ),
        done=_done(ctx, at, "material_replaced"),
        refused=again(materials_view, ctx, at),
    )


@router.post("/{material_id}/remove", dependencies=[CsrfChecked])
def remove_material_page(ctx: Ctx, at: At, material_id: IdPath, act: ReaderAct) -> Response:
    """Take a material off the meeting (it stays on record)."""
    return ctx.act(
        lambda: materials.remove(
            ctx.session, place=places.of_meeting(at.meeting), material_id=material_id, **act.by
        ),
        done=_done(ctx, at, "material_removed"),
        refused=again(materials_view, ctx, at),
    )


@router.post("/{material_id}/public", dependencies=[CsrfChecked])
def publish_material_page(
    ctx: Ctx, at: At, material_id: IdPath, act: ChairAct, public: Public = ""
) -> Response:
    """Let anyone read one material of a public meeting, or no longer."""
    return ctx.act(
        lambda: materials.set_public(
            ctx.session,
            place=places.of_meeting(at.meeting),
            material_id=material_id,
            public=public == "on",
            **act.by,
        ),
        done=_done(ctx, at, "material_public" if public == "on" else "material_private"),
        refused=again(materials_view, ctx, at),
    )


@router.post("/presenters", dependencies=[CsrfChecked])
def name_presenter_page(
    ctx: Ctx, at: At, item: ItemKey, act: ChairAct, presenter: Presenter = ""
) -> Response:
    """Name who presents an agenda item (empty: nobody)."""
    return ctx.act(
        lambda: presenters.name(
            ctx.session,
            meeting_id=at.meeting_id,
            item_key=item,
            person_id=int(presenter) if presenter.isdigit() else None,
            **act.by,
        ),
        done=_done(ctx, at, "presenter_named"),
        refused=again(materials_view, ctx, at),
    )


# The page's links download the pack, or a file, just as the API does.
router.add_api_route("/pack", api.download_pack, name="download_pack", response_class=Response)
router.add_api_route(
    "/{material_id}/file", api.fetch_material, name="download_material", response_class=Response
)
