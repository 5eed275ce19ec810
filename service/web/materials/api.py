"""The JSON API for a meeting's materials: list, add a file or link, replace, remove, fetch."""

from datetime import datetime
from typing import Annotated

from fastapi import Form, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from models import limits
from models.materials import MaterialKind
from service.materials import materials
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.forms import ApiBody, Read
from service.web.materials.files import IncomingFile, ShelfDep, download
from service.web.scope import ChairAct, MeetingDep, Reader, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/materials", "materials")
Title = Annotated[str, Form(max_length=limits.MATERIAL_TITLE)]
Version = Annotated[int | None, Query(ge=1, le=100_000)]


class VersionResponse(Read):
    """One version of a file."""

    number: int
    size: int
    media_type: str
    file_name: str
    added_at: datetime
    content_hash: str


class MaterialResponse(BaseModel):
    """A material of the meeting; `versions` is empty for a link."""

    id: int
    title: str
    kind: MaterialKind
    url: str | None
    added_at: datetime
    versions: list[VersionResponse]


class LinkRequest(ApiBody):
    """A link to add."""

    title: str = Field(max_length=limits.MATERIAL_TITLE)
    url: str = Field(max_length=limits.URL)


def _answer(listed: materials.Listed) -> MaterialResponse:
    material = listed.material
    return MaterialResponse(
        id=id_of(material),
        title=material.title,
        kind=material.kind,
        url=material.url,
        added_at=material.added_at,
        versions=[VersionResponse.model_validate(v) for v in listed.versions],
    )


def _one(ctx: Ctx, meeting_id: int, material_id: int) -> MaterialResponse:
    listed = materials.listing(ctx.session, meeting_id=meeting_id)
    return next(_answer(m) for m in listed if m.material.id == material_id)


@router.get("")
def list_materials(ctx: Ctx, meeting: MeetingDep, _reader: Reader) -> list[MaterialResponse]:
    """The meeting's materials in the order they were added."""
    return [_answer(m) for m in materials.listing(ctx.session, meeting_id=id_of(meeting))]


@router.post("/files", status_code=201)
def add_file(
    ctx: Ctx, meeting: MeetingDep, title: Title, file: IncomingFile, act: ChairAct
) -> MaterialResponse:
    """Upload a file (multipart form: `title`, `file`) as a new material."""
    made = materials.add_file(
        ctx.session,
        meeting_id=id_of(meeting),
        title=title,
        **file,
        **act.by,
    )
    return _one(ctx, id_of(meeting), id_of(made))


@router.post("/links", status_code=201)
def add_link(ctx: Ctx, meeting: MeetingDep, body: LinkRequest, act: ChairAct) -> MaterialResponse:
    """Add a link (https only) as a new material."""
    made = materials.add_link(
        ctx.session, meeting_id=id_of(meeting), title=body.title, url=body.url, **act.by
    )
    return _one(ctx, id_of(meeting), id_of(made))


@router.post("/{material_id}/versions", status_code=201)
def replace_file(
    ctx: Ctx, meeting: MeetingDep, material_id: IdPath, file: IncomingFile, act: ChairAct
) -> VersionResponse:
    """Upload a new version of a file; earlier versions stay readable."""
    made = materials.replace_file(
        ctx.session, meeting_id=id_of(meeting), material_id=material_id, **file, **act.by
    )
    return VersionResponse.model_validate(made)


@router.delete("/{material_id}")
def remove_material(ctx: Ctx, meeting: MeetingDep, material_id: IdPath, act: ChairAct) -> None:
    """Take a material off the meeting; it stays on record."""
    materials.remove(ctx.session, meeting_id=id_of(meeting), material_id=material_id, **act.by)


@router.get("/{material_id}/file")
def fetch_material(
    ctx: Ctx,
    meeting: MeetingDep,
    material_id: IdPath,
    shelf: ShelfDep,
    _reader: Reader,
    version: Version = None,
) -> FileResponse:
    """The file (its latest version, or `?version=N`), as an attachment."""
    found = materials.version(
        ctx.session, meeting_id=id_of(meeting), material_id=material_id, number=version
    )
    return download(shelf, found)
