"""A group's standing library page: documents that belong to no one meeting."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models import limits
from models.groups import WorkingGroup
from service.access.permissions import Access, allows
from service.materials import materials, places
from service.web.deps import IdPath
from service.web.materials import library_api
from service.web.materials.files import IncomingFile, Title, Url
from service.web.scope import ChairAct, GroupDep, Reader, id_of
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/groups/{slug}/library")
ROUTES = {
    "download": "download_library_material",
    "replace": "replace_library_file_page",
    "remove": "remove_library_material_page",
    "public": "",
    "public_download": "",
}


def library_view(ctx: Context, group: WorkingGroup) -> Response:
    """The library as a table, with the chair's forms below it."""
    return ctx.render(
        "pages/library.html",
        {
            "group": group,
            "listed": materials.library(ctx.session, group_id=id_of(group)),
            "can_write": allows(Access.group_chair, ctx.principal, writes=True, group_id=group.id),
            "routes": ROUTES,
            "here": {"slug": group.slug},
            "title_max": limits.MATERIAL_TITLE,
            "url_max": limits.URL,
            "max_megabytes": ctx.settings.material_max_megabytes,
        },
    )


def _done(ctx: Context, group: WorkingGroup, notice: str) -> str:
    return done(ctx.path("library_page", slug=group.slug), notice)


@router.get("", response_class=HTMLResponse)
def library_page(ctx: Ctx, group: GroupDep, _reader: Reader) -> Response:
    """The group's standing documents: model agreements, templates, yearly overviews."""
    return library_view(ctx, group)


@router.post("/files", dependencies=[CsrfChecked])
def add_library_file_page(
    ctx: Ctx, group: GroupDep, title: Title, file: IncomingFile, act: ChairAct
) -> Response:
    """Upload a file to the library."""
    return ctx.act(
        lambda: materials.add_file(
            ctx.session, place=places.library(id_of(group)), title=title, **file, **act.by
        ),
        done=_done(ctx, group, "library_added"),
        refused=again(library_view, ctx, group),
    )


@router.post("/links", dependencies=[CsrfChecked])
def add_library_link_page(
    ctx: Ctx, group: GroupDep, title: Title, url: Url, act: ChairAct
) -> Response:
    """Add a link to the library."""
    return ctx.act(
        lambda: materials.add_link(
            ctx.session, place=places.library(id_of(group)), title=title, url=url, **act.by
        ),
        done=_done(ctx, group, "library_added"),
        refused=again(library_view, ctx, group),
    )


@router.post("/{material_id}/versions", dependencies=[CsrfChecked])
def replace_library_file_page(
    ctx: Ctx, group: GroupDep, material_id: IdPath, file: IncomingFile, act: ChairAct
) -> Response:
    """Add a new version of a library file; the earlier versions stay readable."""
    return ctx.act(
        lambda: materials.replace_file(
            ctx.session,
            place=places.library(id_of(group)),
            material_id=material_id,
            **file,
            **act.by,
        ),
        done=_done(ctx, group, "material_replaced"),
        refused=again(library_view, ctx, group),
    )


@router.post("/{material_id}/remove", dependencies=[CsrfChecked])
def remove_library_material_page(
    ctx: Ctx, group: GroupDep, material_id: IdPath, act: ChairAct
) -> Response:
    """Take a material out of the library (it stays on record)."""
    return ctx.act(
        lambda: materials.remove(
            ctx.session, place=places.library(id_of(group)), material_id=material_id, **act.by
        ),
        done=_done(ctx, group, "library_removed"),
        refused=again(library_view, ctx, group),
    )


# The page's links download a file just as the API does.
router.add_api_route(
    "/{material_id}/file",
    library_api.fetch_library_material,
    name="download_library_material",
    response_class=Response,
)
