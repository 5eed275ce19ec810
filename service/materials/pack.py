"""The meeting pack: one zip with the agenda and every material in agenda order, built once.

The zip is named by its meeting, its language and a hash of everything that goes in it (the
agenda's items, each material's title and the hash of its file), so a pack is built once per
content and served from the cache until something in it changes. A rebuild removes the meeting's
older packs in that language but keeps the one before it: another worker may have just found that
one and not yet opened it (once opened, a removed file stays readable to whoever has it open).
"""

import hashlib
import json
import os
import re
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
    prefix = _prefix(meeting.id, language)
    target = cache / f"{prefix}{key}.zip"
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
    _remove_older(cache, prefix=prefix, keep=target)
    return target


def _prefix(meeting_id: int, language: str) -> str:
    """The start of the names of a meeting's packs in one language."""
    # The language comes from the request: only a plain code may become part of a file name.
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ValueError(f"not a language code: {language!r}")
    return f"meeting-{meeting_id}-{language}-"


def _remove_older(cache: Path, *, prefix: str, keep: Path) -> None:
    """Remove the meeting's packs in this language but the new one and the one before it."""
    folder = cache.resolve()
    older = [
        p
        for p in cache.glob(f"{prefix}*.zip")
        if p.name != keep.name
        and not p.is_symlink()
        and p.is_file()
        and p.resolve().parent == folder  # never a path outside the packs folder
    ]
    older.sort(key=lambda p: (_modified(p), p.name), reverse=True)
    for stale in older[1:]:
        stale.unlink(missing_ok=True)  # another worker's rebuild may have removed it first


def _modified(path: Path) -> int:
    """When a pack was written; 0 when another worker removed it meanwhile."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def file_name(meeting: Meeting) -> str:
    """The download name of a meeting's pack."""
    day = meeting.starts_at.date().isoformat() if meeting.starts_at else str(meeting.id)
    return f"pack-{day}-{meeting.id}.zip"
