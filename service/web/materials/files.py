"""What both doors share: the shelf from the settings, an upload, a download."""

from typing import Annotated, TypedDict

from fastapi import Depends, File, UploadFile
from fastapi.responses import FileResponse

from models.materials import MaterialVersion
from service.materials.materials import Limits, Shelf, Upload
from service.materials.storage import Store
from service.settings import Settings
from service.web.deps import SettingsDep

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


def download(shelf: Shelf, version: MaterialVersion) -> FileResponse:
    """A stored file as an attachment that no browser runs, with Range support and an ETag."""
    return FileResponse(
        shelf.store.path_of(version.content_hash),
        media_type=version.media_type,
        filename=version.file_name,
        content_disposition_type="attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, no-cache",
            "ETag": f'"{version.content_hash}"',
        },
    )
