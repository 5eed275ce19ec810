"""What a file is, judged by its bytes (filetype), whether we take it, and its text."""

import logging
import zipfile
from pathlib import Path

import filetype

from models.errors import N_, DomainError

log = logging.getLogger(__name__)

# What a working group shares: documents, slides, sheets, images and plain text.
ALLOWED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "text/plain": "txt",
}
_CONTAINERS = {
    media for media, ext in ALLOWED.items() if ext in {"docx", "pptx", "xlsx", "odt", "odp", "ods"}
}
# A document may unpack to this many times its size, and never past this many bytes.
MAX_RATIO = 100
MAX_UNPACKED = 1024 * 1024 * 1024
_TEXT_PROBE = 64 * 1024


def media_type(path: Path) -> str:
    """The file's type from its content; refused when it is not one a group may share."""
    kind = filetype.guess(str(path))
    found = kind.mime if kind is not None else _plain_text(path)
    if found not in ALLOWED:
        raise DomainError(
            N_(
                "This kind of file cannot be added: PDF, Word, PowerPoint, Excel, OpenDocument,"
                " images and plain text can."
            ),
            field="file",
        )
    if found in _CONTAINERS:
        _refuse_bombs(path)
    return found


def _plain_text(path: Path) -> str | None:
    """Text with no magic number: UTF-8 without control bytes, and not markup a browser runs."""
    with path.open("rb") as source:
        head = source.read(_TEXT_PROBE)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None  # (a probe cut inside a character would also land here: a rare refusal)
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    return None if text.lstrip().startswith("<") else "text/plain"


def _refuse_bombs(path: Path) -> None:
    """Refuse an office file whose parts would unpack to far more than it weighs."""
    size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise DomainError(N_("This file is damaged and cannot be read."), field="file") from error
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(size, 1):
        raise DomainError(
            N_("This file unpacks to far more than its size and is refused."), field="file"
        )


def extension(media: str) -> str:
    """The usual extension of an allowed type."""
    return ALLOWED[media]


def text_of(path: Path, media: str) -> str | None:
    """The file's text for the search to come; None when it has none or cannot be read."""
    try:
        return _read_text(path, media)
    except Exception:  # a file whose text we cannot read is still kept
        log.info("no text read from a material of type %s", media)
        return None


def _read_text(path: Path, media: str) -> str | None:
    ext = ALLOWED[media]
    if ext == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if ext == "docx":
        from docx import Document

        return "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)
    if ext == "pptx":
        from pptx import Presentation

        return "\n".join(
            shape.text_frame.text
            for slide in Presentation(str(path)).slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
    if ext in {"odt", "odp", "ods"}:
        from odf import teletype
        from odf.opendocument import load
        from odf.text import P

        document = load(str(path))
        return "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))
    if ext == "txt":
        return path.read_text(encoding="utf-8", errors="replace")
    return None
