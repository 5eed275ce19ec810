"""The meeting pack: one zip with the agenda and every material in agenda order, built once.

The zip is named by a hash of everything that goes in it (the agenda's items, each material's
title and the hash of its file, the language), so a pack is built once per content and served
from the cache until something in it changes; an old pack is simply never asked for again.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from models.agenda import AgendaItem
from models.meetings import Meeting
from service.materials import materials, places
from service.materials.materials import Listed
from service.materials.storage import Store
from service.rendering import environment


@dataclass(frozen=True)
class Section:
    """The meeting as a whole (number 0, no item) or one agenda item, with its materials."""

    number: int
    item: AgendaItem | None
    listed: list[Listed]


@dataclass(frozen=True)
class Entry:
    """One file in the zip: its name there and the stored file it copies."""

    name: str
    content_hash: str


def sections(session: Session, *, meeting_id: int) -> list[Section]:
    """The meeting's materials grouped as the agenda runs: the meeting's own, then per item."""
    listed = materials.listing(session, meeting_id=meeting_id)
    items = places.agenda(session, meeting_id=meeting_id)
    shown = {row.item_key for row in items}
    # A material of an item that left the agenda stays with the meeting's own.
    own = [m for m in listed if m.material.item_key not in shown]
    out = [Section(0, None, own)]
    for number, row in enumerate(items, start=1):
        out.append(Section(number, row, [m for m in listed if m.material.item_key == row.item_key]))
    return out


def entries(parts: list[Section]) -> list[Entry]:
    """The files of the pack in agenda order, named `<item>-<n>-<file name>`."""
    out = []
    for section in parts:
        files = [m.latest for m in section.listed if m.latest is not None]
        for n, version in enumerate(files, start=1):
            out.append(
                Entry(f"{section.number:02d}-{n:02d}-{version.file_name}", version.content_hash)
            )
    return out


def build(session: Session, *, meeting: Meeting, store: Store, cache: Path, language: str) -> Path:
    """The pack's zip in the cache, built now only when no pack of the same content is there."""
    assert meeting.id is not None
    parts = sections(session, meeting_id=meeting.id)
    files = entries(parts)
    agenda = (
        environment(language)
        .get_template("documents/pack_agenda.html")
        .render(meeting=meeting, sections=parts)
    )
    key = hashlib.sha256(
        json.dumps(
            {"agenda": agenda, "files": [(e.name, e.content_hash) for e in files]},
            sort_keys=True,
        ).encode()
    ).hexdigest()
    target = cache / f"{key}.zip"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=cache, suffix=".part")
    try:
        # Stored, not deflated: office files and PDFs are compressed already.
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr("00-agenda.html", agenda)
            for entry in files:
                with zf.open(entry.name, "w", force_zip64=True) as member:
                    store.copy_to(entry.content_hash, member)
        os.replace(name, target)  # whole or not at all, also when two requests build at once
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target


def file_name(meeting: Meeting) -> str:
    """The download name of a meeting's pack."""
    day = meeting.starts_at.date().isoformat() if meeting.starts_at else str(meeting.id)
    return f"pack-{day}-{meeting.id}.zip"
