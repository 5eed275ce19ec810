"""The JSON API for a group's standing library: list, add, replace, remove, fetch."""

from fastapi.responses import Response

from service.materials import materials, places
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.materials.api import LinkRequest, MaterialResponse, VersionResponse, answer, one_of
from service.web.materials.files import IncomingFile, ShelfDep, Title, Version, download
from service.web.scope import ChairAct, GroupDep, Reader, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/library", "materials")


def _one(ctx: Ctx, group_id: int, material_id: int) -> MaterialResponse:
    return one_of(materials.library(ctx.session, group_id=group_id), material_id)


@router.get("")
def list_library(ctx: Ctx, group: GroupDep, _reader: Reader) -> list[MaterialResponse]:
    """The group's library in the order it was added."""
    return [answer(m) for m in materials.library(ctx.session, group_id=id_of(group))]


@router.post("/files", status_code=201)
def add_library_file(
    ctx: Ctx, group: GroupDep, title: Title, file: IncomingFile, act: ChairAct
) -> MaterialResponse:
    """Upload a file (multipart: `title`, `file`) to the library."""
    made = materials.add_file(
        ctx.session, place=places.library(id_of(group)), title=title, **file, **act.by
    )
    return _one(ctx, id_of(group), id_of(made))


@router.post("/links", status_code=201)
def add_library_link(
    ctx: Ctx, group: GroupDep, body: LinkRequest, act: ChairAct
) -> MaterialResponse:
    """Add a link to the library (`item_key` must be left out)."""
    made = materials.add_link(
        ctx.session, place=places.library(id_of(group)), title=body.title, url=body.url, **act.by
    )
    return _one(ctx, id_of(group), id_of(made))


@router.post("/{material_id}/versions", status_code=201)
def replace_library_file(
    ctx: Ctx, group: GroupDep, material_id: IdPath, file: IncomingFile, act: ChairAct
) -> VersionResponse:
    """Upload a new version of a library file."""
    made = materials.replace_file(
        ctx.session, place=places.library(id_of(group)), material_id=material_id, **file, **act.by
    )
    return VersionResponse.model_validate(made)


@router.delete("/{material_id}")
def remove_library_material(ctx: Ctx, group: GroupDep, material_id: IdPath, act: ChairAct) -> None:
    """Take a material out of the library; it stays on record."""
    materials.remove(
        ctx.session, place=places.library(id_of(group)), material_id=material_id, **act.by
    )


@router.get("/{material_id}/file", response_class=Response)
def fetch_library_material(
    ctx: Ctx,
    group: GroupDep,
    material_id: IdPath,
    shelf: ShelfDep,
    _reader: Reader,
    version: Version = None,
) -> Response:
    """A library file (latest, or `?version=N`), as an attachment."""
    found = materials.version(
        ctx.session, place=places.library(id_of(group)), material_id=material_id, number=version
    )
    return download(shelf, found, ctx.request)
