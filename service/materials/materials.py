"""The use cases of materials: list, add a file or a link, replace, remove, publish, fetch."""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import limits
from models.errors import N_, DomainError, NotFound, at_most
from models.links import check_link
from models.materials import Material, MaterialKind, MaterialVersion
from service import audit
from service.audit import Actor
from service.materials import content
from service.materials.places import Place, check_may_add
from service.materials.storage import Received, Store
from service.meetings import meetings


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: its stream and the name the uploader's computer gave it."""

    file_name: str
    stream: BinaryIO


@dataclass(frozen=True)
class Limits:
    """How large one file, and all files of one meeting together, may be."""

    file_bytes: int
    meeting_bytes: int


@dataclass(frozen=True)
class Shelf:
    """Where files are kept and how large they may be."""

    store: Store
    sizes: Limits


@dataclass(frozen=True)
class Listed:
    """A material with its versions, newest first (none for a link)."""

    material: Material
    versions: list[MaterialVersion]

    @property
    def latest(self) -> MaterialVersion | None:
        """The version people download by default."""
        return self.versions[0] if self.versions else None


def listing(session: Session, *, meeting_id: int) -> list[Listed]:
    """A meeting's materials (its own and its items') in the order they were added."""
    return _listed_where(session, col(Material.meeting_id) == meeting_id)


def library(session: Session, *, group_id: int) -> list[Listed]:
    """A group's standing library, in the order it was added."""
    return _listed_where(
        session, col(Material.group_id) == group_id, col(Material.meeting_id).is_(None)
    )


def _listed_where(session: Session, *where: sa.ColumnElement[bool]) -> list[Listed]:
    materials = session.exec(
        select(Material)
        .where(*where, col(Material.removed_at).is_(None))
        .order_by(col(Material.id))
    ).all()
    versions = session.exec(
        select(MaterialVersion)
        .where(col(MaterialVersion.material_id).in_([m.id for m in materials]))
        .order_by(col(MaterialVersion.number).desc())
    ).all()
    by_material: dict[int, list[MaterialVersion]] = {}
    for version in versions:
        by_material.setdefault(version.material_id, []).append(version)
    return [Listed(m, by_material.get(m.id or 0, [])) for m in materials]


def add_file(
    session: Session,
    *,
    place: Place,
    title: str,
    upload: Upload,
    shelf: Shelf,
    actor: Actor,
    now: datetime,
) -> Material:
    """Keep an uploaded file as a new material of the place, as its version 1."""
    material = _new(session, place, title=title, kind=MaterialKind.file, actor=actor, now=now)
    received, media = _received(session, place=place, upload=upload, shelf=shelf)
    audit.save(session, row=material, before=None, actor=actor, now=now)
    assert material.id is not None
    _keep_version(
        session, material, received, media, upload, store=shelf.store, actor=actor, now=now
    )
    return material


def add_link(
    session: Session, *, place: Place, title: str, url: str, actor: Actor, now: datetime
) -> Material:
    """Add a link (a shared folder, a recording) as a material of the place."""
    material = _new(session, place, title=title, kind=MaterialKind.link, actor=actor, now=now)
    material.url = _url(url)
    return audit.created(session, material, actor=actor, now=now)


def _new(
    session: Session,
    place: Place,
    *,
    title: str,
    kind: MaterialKind,
    actor: Actor,
    now: datetime,
) -> Material:
    """A material not yet saved, once the place exists and the actor may add to it."""
    if place.meeting_id is not None:
        meeting = meetings.get(session, meeting_id=place.meeting_id)
        if meeting.group_id != place.group_id:
            raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=place.meeting_id)
    check_may_add(session, place=place, actor=actor, now=now)
    return Material(
        group_id=place.group_id,
        meeting_id=place.meeting_id,
        item_key=place.item_key,
        title=_title(title),
        kind=kind,
        added_by_id=actor.person_id,
        added_at=now,
    )


def replace_file(
    session: Session,
    *,
    place: Place,
    material_id: int,
    upload: Upload,
    shelf: Shelf,
    actor: Actor,
    now: datetime,
) -> MaterialVersion:
    """Add a new version of a file; the earlier ones stay readable."""
    material = _listed(session, place=place, material_id=material_id)
    check_may_add(session, place=_place_of(material), actor=actor, now=now)
    if material.kind is not MaterialKind.file:
        raise DomainError(N_("A link has no file to replace."), field="file")
    received, media = _received(session, place=place, upload=upload, shelf=shelf)
    return _keep_version(
        session, material, received, media, upload, store=shelf.store, actor=actor, now=now
    )


def remove(
    session: Session, *, place: Place, material_id: int, actor: Actor, now: datetime
) -> Material:
    """Take a material off its place; the row and its files stay as a record."""
    material = _listed(session, place=place, material_id=material_id)
    check_may_add(session, place=_place_of(material), actor=actor, now=now)
    with audit.changing(session, material, actor=actor, now=now):
        material.removed_at = now
        material.removed_by_id = actor.person_id
    return material


def set_public(
    session: Session, *, place: Place, material_id: int, public: bool, actor: Actor, now: datetime
) -> Material:
    """Let anyone read one material of a public meeting (or no longer)."""
    material = _listed(session, place=place, material_id=material_id)
    if public:
        meeting = meetings.get(session, meeting_id=material.meeting_id or 0)
        if not meeting.is_public:
            raise DomainError(
                N_("Only a material of a public meeting can be made public."), field="public"
            )
    with audit.changing(session, material, actor=actor, now=now):
        material.public = public
    return material


def version(
    session: Session,
    *,
    place: Place,
    material_id: int,
    number: int | None,
    public_only: bool = False,
) -> MaterialVersion:
    """A version to download (the latest when no number is given); unknown ones are 404.

    `public_only` is for readers who have not signed in: only a public material of a public
    meeting is found, any other is unknown, as if it did not exist.
    """
    material = _listed(session, place=place, material_id=material_id)
    if public_only and not _is_public(session, material):
        raise NotFound(N_("Unknown material."), field="material")
    query = select(MaterialVersion).where(MaterialVersion.material_id == material_id)
    if number is not None:
        query = query.where(MaterialVersion.number == number)
    found = session.exec(query.order_by(col(MaterialVersion.number).desc())).first()
    if found is None:
        raise NotFound(N_("Unknown material."), field="material")
    return found


def _is_public(session: Session, material: Material) -> bool:
    if not material.public or material.meeting_id is None:
        return False
    return meetings.get(session, meeting_id=material.meeting_id).is_public


def _place_of(material: Material) -> Place:
    return Place(material.group_id, material.meeting_id, material.item_key)


def _listed(session: Session, *, place: Place, material_id: int) -> Material:
    """A material of this group (and meeting) not removed; any other is unknown (404).

    A meeting's place finds its items' materials too: one address per material of a meeting.
    """
    material = session.get(Material, material_id)
    if (
        material is None
        or material.group_id != place.group_id
        or material.meeting_id != place.meeting_id
        or (place.item_key is not None and material.item_key != place.item_key)
        or material.removed_at is not None
    ):
        raise NotFound(N_("Unknown material."), field="material")
    return material


def _received(
    session: Session, *, place: Place, upload: Upload, shelf: Shelf
) -> tuple[Received, str]:
    """The upload on disk and its type, checked for size, kind and the place's total.

    A refused upload is removed from disk, so nothing is kept.
    """
    store, sizes = shelf.store, shelf.sizes
    received = store.receive(upload.stream, max_bytes=sizes.file_bytes)
    try:
        if received.size == 0:
            raise DomainError(N_("This file is empty."), field="file")
        media = content.media_type(received.path)
        if _total_bytes(session, place=place) + received.size > sizes.meeting_bytes:
            raise DomainError(
                N_("The materials of this meeting would pass %(megabytes)s MB together."),
                field="file",
                megabytes=sizes.meeting_bytes // (1024 * 1024),
            )
    except DomainError:
        store.discard(received)
        raise
    return received, media


def _keep_version(
    session: Session,
    material: Material,
    received: Received,
    media: str,
    upload: Upload,
    *,
    store: Store,
    actor: Actor,
    now: datetime,
) -> MaterialVersion:
    path = store.keep(received)
    number = session.exec(
        select(sa.func.coalesce(sa.func.max(MaterialVersion.number), 0)).where(
            MaterialVersion.material_id == material.id
        )
    ).one()
    assert material.id is not None
    version = MaterialVersion(
        material_id=material.id,
        number=number + 1,
        content_hash=received.content_hash,
        size=received.size,
        media_type=media,
        file_name=safe_file_name(upload.file_name, material.title, content.extension(media)),
        added_by_id=actor.person_id,
        added_at=now,
        text=content.text_of(path, media),
    )
    return audit.created(session, version, actor=actor, now=now)


def _total_bytes(session: Session, *, place: Place) -> int:
    """What the meeting's files (or the library's, for a library) take together."""
    same_meeting = (
        col(Material.meeting_id).is_(None)
        if place.meeting_id is None
        else col(Material.meeting_id) == place.meeting_id
    )
    total = session.exec(
        select(sa.func.coalesce(sa.func.sum(MaterialVersion.size), 0))
        .join(Material, col(Material.id) == MaterialVersion.material_id)
        .where(Material.group_id == place.group_id, same_meeting)
    ).one()
    return int(total)


def _title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise DomainError(N_("Give the material a title."), field="title")
    return at_most(cleaned, limits.MATERIAL_TITLE, field="title")


def _url(url: str) -> str:
    cleaned = url.strip()
    refusal = DomainError(N_("A link must be a complete https:// address."), field="url")
    if len(cleaned) > limits.URL:
        raise refusal
    try:
        check_link(cleaned, field="url")  # the one rule for links people give
    except DomainError:
        raise refusal from None
    return cleaned


def safe_file_name(uploaded: str, title: str, extension: str) -> str:
    """A download name from the uploaded name (or the title): no path, no odd characters."""
    stem = PurePath(uploaded.replace("\\", "/")).stem or title
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:100] or "material"
    return f"{safe}.{extension}"
