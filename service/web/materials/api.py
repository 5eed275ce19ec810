"""The JSON API for a meeting's materials: list, add, replace, remove, publish, fetch, pack."""

from datetime import datetime
from typing import Annotated

from fastapi import Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from models import limits
from models.materials import MaterialKind
from service.materials import materials, places, presenters
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.forms import ApiBody, Read
from service.web.materials.files import (
    IncomingFile,
    ShelfDep,
    Title,
    Version,
    download,
    pack_download,
)
from service.web.materials.places import where
from service.web.scope import ChairAct, MeetingDep, MeetingReader, ReaderAct, id_of
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/materials", "materials")
Item = Annotated[int | None, Form(ge=1, le=100_000)]


class VersionResponse(Read):
    """One version of a file."""

    number: int
    size: int
    media_type: str
    file_name: str
    added_at: datetime
    content_hash: str


class MaterialResponse(BaseModel):
    """A material; `versions` is empty for a link, `item_key` null for the whole meeting."""

    id: int
    title: str
    kind: MaterialKind
    url: str | None
    item_key: int | None
    public: bool
    added_at: datetime
    versions: list[VersionResponse]


class LinkRequest(ApiBody):
    """A link to add, to the meeting or (with `item_key`) one of its agenda items."""

    title: str = Field(max_length=limits.MATERIAL_TITLE)
    url: str = Field(max_length=limits.URL)
    item_key: int | None = Field(default=None, ge=1, le=100_000)


class PublicRequest(ApiBody):
    """Whether anyone may read the material (only for a public meeting)."""

    public: bool


class PresenterRequest(ApiBody):
    """Who presents an agenda item; null for nobody."""

    item_key: int = Field(ge=1, le=100_000)
    person_id: int | None = Field(default=None, ge=1)


def answer(listed: materials.Listed) -> MaterialResponse:
    """A material as the API shows it."""
    versions = [VersionResponse.model_validate(v) for v in listed.versions]
    return MaterialResponse.model_validate({**listed.material.model_dump(), "versions": versions})


def one_of(listed: list[materials.Listed], material_id: int) -> MaterialResponse:
    """The material of that id among those listed, as the API shows it."""
    return next(answer(m) for m in listed if m.material.id == material_id)


@router.get("")
def list_materials(ctx: Ctx, meeting: MeetingDep, _reader: MeetingReader) -> list[MaterialResponse]:
    """The meeting's materials (its own and its items') in the order they were added."""
    return [answer(m) for m in materials.listing(ctx.session, meeting_id=id_of(meeting))]


@router.post("/files", status_code=201)
def add_file(
    ctx: Ctx,
    meeting: MeetingDep,
    title: Title,
    file: IncomingFile,
    act: ReaderAct,
    item_key: Item = None,
) -> MaterialResponse:
    """Upload a file (multipart: `title`, `file`, optional `item_key`) as a new material."""
    made = materials.add_file(
        ctx.session, place=where(ctx.session, meeting, item_key), title=title, **file, **act.by
    )
    return one_of(materials.listing(ctx.session, meeting_id=id_of(meeting)), id_of(made))


@router.post("/links", status_code=201)
def add_link(ctx: Ctx, meeting: MeetingDep, body: LinkRequest, act: ReaderAct) -> MaterialResponse:
    """Add a link (https only) as a new material."""
    made = materials.add_link(
        ctx.session,
        place=where(ctx.session, meeting, body.item_key),
        title=body.title,
        url=body.url,
        **act.by,
    )
    return one_of(materials.listing(ctx.session, meeting_id=id_of(meeting)), id_of(made))


@router.post("/{material_id}/versions", status_code=201)
def replace_file(
    ctx: Ctx, meeting: MeetingDep, material_id: IdPath, file: IncomingFile, act: ReaderAct
) -> VersionResponse:
    """Upload a new version of a file; earlier versions stay readable."""
    made = materials.replace_file(
        ctx.session, place=places.of_meeting(meeting), material_id=material_id, **file, **act.by
    )
    return VersionResponse.model_validate(made)


@router.delete("/{material_id}")
def remove_material(ctx: Ctx, meeting: MeetingDep, material_id: IdPath, act: ReaderAct) -> None:
    """Take a material off the meeting; it stays on record."""
    materials.remove(
        ctx.session, place=places.of_meeting(meeting), material_id=material_id, **act.by
    )


@router.put("/{material_id}/public")
def publish_material(
    ctx: Ctx, meeting: MeetingDep, material_id: IdPath, body: PublicRequest, act: ChairAct
) -> MaterialResponse:
    """Let anyone read one material of a public meeting (or no longer)."""
    materials.set_public(
        ctx.session,
        place=places.of_meeting(meeting),
        material_id=material_id,
        public=body.public,
        **act.by,
    )
    return one_of(materials.listing(ctx.session, meeting_id=id_of(meeting)), material_id)


@router.put("/presenters")
def name_presenter(
    ctx: Ctx, meeting: MeetingDep, body: PresenterRequest, act: ChairAct
) -> dict[str, int | None]:
    """Name who presents an agenda item (null: nobody)."""
    presenters.name(
        ctx.session,
        meeting_id=id_of(meeting),
        item_key=body.item_key,
        person_id=body.person_id,
        **act.by,
    )
    return {"item_key": body.item_key, "person_id": body.person_id}


@router.get("/pack", response_class=Response)
def download_pack(ctx: Ctx, meeting: MeetingDep, _reader: MeetingReader) -> Response:
    """The meeting pack (zip): the agenda and every file in agenda order."""
    return pack_download(
        ctx.session,
        meeting=meeting,
        settings=ctx.settings,
        language=ctx.language,
        request=ctx.request,
    )


@router.get("/{material_id}/file", response_class=Response)
def fetch_material(
    ctx: Ctx,
    meeting: MeetingDep,
    material_id: IdPath,
    shelf: ShelfDep,
    _reader: MeetingReader,
    version: Version = None,
) -> Response:
    """The file (its latest version, or `?version=N`), as an attachment."""
    found = materials.version(
        ctx.session, place=places.of_meeting(meeting), material_id=material_id, number=version
    )
    return download(shelf, found, ctx.request)
