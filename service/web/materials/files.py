"""What both doors share: the shelf from the settings, an upload, a download."""

from typing import Annotated, Protocol, TypedDict

from fastapi import Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response

from models import limits
from models.meetings import Meeting
from service.materials import pack
from service.materials.materials import Limits, Shelf, Upload
from service.materials.storage import Store
from service.settings import Settings
from service.web.deps import Session, SettingsDep

MEGABYTE = 1024 * 1024


def shelf(settings: Settings) -> Shelf:
    """The materials folder and the size limits of these settings."""
    return Shelf(
        store=Store(settings.materials_store),
        sizes=Limits(
            file_bytes=settings.material_max_megabytes * MEGABYTE,
            meeting_bytes=settings.meeting_materials_max_megabytes * MEGABYTE,
        ),
    )


async def _shelf(settings: SettingsDep) -> Shelf:
    return shelf(settings)


ShelfDep = Annotated[Shelf, Depends(_shelf)]
UploadField = Annotated[UploadFile, File()]


def upload(file: UploadFile) -> Upload:
    """The use case's view of an upload (Starlette has spooled it to disk past 1 MB)."""
    return Upload(file_name=file.filename or "", stream=file.file)


class Incoming(TypedDict):
    """An uploaded file and where it goes: keyword arguments of the use cases that keep files."""

    upload: Upload
    shelf: Shelf


async def _incoming(file: UploadField, settings: SettingsDep) -> Incoming:
    return Incoming(upload=upload(file), shelf=shelf(settings))


# The request's file, ready for the use case: `materials.add_file(..., **file, **act.by)`.
IncomingFile = Annotated[Incoming, Depends(_incoming)]
# What the materials routes read besides a file: a title or a URL from a form, and which
# version of a file from the query.
Title = Annotated[str, Form(max_length=limits.MATERIAL_TITLE)]
Url = Annotated[str, Form(max_length=limits.URL)]
Version = Annotated[int | None, Query(ge=1, le=100_000)]


# A file is offered to save, never shown: no sniffing, no scripts, no frames.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-cache",
}


def _unchanged(request: Request, etag: str) -> Response | None:
    """A 304 when the reader already holds this exact file (the tag is its content hash)."""
    held = request.headers.get("if-none-match", "")
    if etag in {tag.strip() for tag in held.split(",")} or held.strip() == "*":
        return Response(status_code=304, headers={**SAFE_HEADERS, "ETag": etag})
    return None


class StoredFile(Protocol):
    """A file kept in the store under its hash: a material's version, a homework answer."""

    @property
    def content_hash(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def file_name(self) -> str: ...


def download(shelf: Shelf, version: StoredFile, request: Request) -> Response:
    """A stored file as an attachment that no browser runs, with Range, ETag and 304."""
    etag = f'"{version.content_hash}"'
    return _unchanged(request, etag) or FileResponse(
        shelf.store.path_of(version.content_hash),
        media_type=version.media_type,
        filename=version.file_name,
        content_disposition_type="attachment",
        headers={**SAFE_HEADERS, "ETag": etag},
    )


def pack_download(
    session: Session, *, meeting: Meeting, settings: Settings, language: str, request: Request
) -> Response:
    """The meeting pack (built now or taken from the cache), as an attachment."""
    built = pack.build(
        session,
        meeting=meeting,
        store=Store(settings.materials_store),
        cache=settings.data_dir / "packs",
        language=language,
    )
    etag = f'"{built.stem}"'
    return _unchanged(request, etag) or FileResponse(
        built,
        media_type="application/zip",
        filename=pack.file_name(meeting),
        content_disposition_type="attachment",
        headers={**SAFE_HEADERS, "ETag": etag},
    )
