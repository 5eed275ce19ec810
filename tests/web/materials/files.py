"""Real files of every kind a group shares, made with their own libraries."""

import io
import struct
import zipfile
import zlib

from docx import Document
from odf.opendocument import OpenDocumentText
from odf.text import P
from openpyxl import Workbook
from pptx import Presentation
from pypdf import PdfWriter


def pdf() -> bytes:
    """A one-page PDF."""
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def docx(text: str = "Model verwerkersovereenkomst") -> bytes:
    """A Word document with one paragraph."""
    out = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(out)
    return out.getvalue()


def pptx(title: str = "ORBA demo") -> bytes:
    """A presentation with one titled slide."""
    out = io.BytesIO()
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = title
    deck.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    """A workbook with one cell."""
    out = io.BytesIO()
    book = Workbook()
    sheet = book.create_sheet("Cijfers", 0)
    sheet["A1"] = "Datamaturiteit 2027"
    book.save(out)
    return out.getvalue()


def odt(text: str = "Jaaroverzicht GDPR") -> bytes:
    """An OpenDocument text with one paragraph."""
    out = io.BytesIO()
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    document.save(out)
    return out.getvalue()


def png() -> bytes:
    """A 1×1 white PNG, chunk by chunk as the format says."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_bomb(megabytes: int = 50) -> bytes:
    """What looks like a Word file but unpacks to `megabytes` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
        with archive.open("word/media/zero.bin", "w") as member:
            for _ in range(megabytes):
                member.write(b"\0" * (1 << 20))
    return out.getvalue()


def executable() -> bytes:
    """The start of a Linux program (an ELF header), to be renamed .pdf."""
    return b"\x7fELF\x02\x01\x01" + b"\0" * 200


KINDS = {
    "verslag.pdf": (pdf, "application/pdf"),
    "overeenkomst.docx": (
        docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "demo.pptx": (
        pptx,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "cijfers.xlsx": (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "overzicht.odt": (odt, "application/vnd.oasis.opendocument.text"),
    "logo.png": (png, "image/png"),
}
