"""A member list as a city sends it (CSV or Excel) read into rows named by column.

Headers may be written in Dutch, English or French. A CSV must be UTF-8 (with or without a
byte-order mark): bytes that are not, such as a file saved as "CSV (Windows)" by an older
Excel, are refused with a message saying how to save it, rather than guessed at, because a
wrong guess would store misspelt names without anyone noticing.
"""

import unicodedata
from dataclasses import dataclass

from models.errors import N_, DomainError
from service.reports import exports

MAX_BYTES = 512 * 1024  # a list of a thousand members is a tenth of this
MAX_ROWS = 1000
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003)

# column -> the headers that name it (lower case, without accents, spaces or dashes)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "name", "nom", "volledigenaam", "fullname", "nomcomplet"),
    "email": ("email", "emailadres", "mail", "courriel", "adresseemail", "emailaddress"),
    "organisation": ("organisatie", "organisation", "organization", "stad", "ville", "city"),
    "role": ("rol", "role"),
    "language": ("taal", "language", "langue"),
    "job_title": ("functie", "function", "fonction", "jobtitle"),
}
# column -> the refusal when the file has no such column
REQUIRED = {
    "name": N_("The file has no column for the name."),
    "email": N_("The file has no column for the email address."),
    "organisation": N_("The file has no column for the organisation."),
}


@dataclass(frozen=True)
class Row:
    """One line of the file below the header, by column; `line` counts the header as 1."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The cell of a column, stripped; empty when the file has no such column."""
        return self.values.get(column, "").strip()


def comparable(header: str) -> str:
    """A header or word as compared: lower case, without accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", header.strip().lower().lstrip("\ufeff"))
    return "".join(c for c in plain if c.isalnum())


_HEADERS = {header: column for column, headers in COLUMNS.items() for header in headers}


def _columns(header: list[str]) -> list[str | None]:
    """The column each header names; refuses an unknown, repeated or missing column."""
    found: list[str | None] = []
    for text in header:
        if not text.strip():
            found.append(None)  # an empty column that Excel kept
            continue
        column = _HEADERS.get(comparable(text))
        if column is None:
            raise DomainError(
                N_(
                    "Unknown column: %(column)s. The columns are: name, email, organisation,"
                    " and optionally role, language and function."
                ),
                field="file",
                column=text.strip()[:60],
            )
        if column in found:
            raise DomainError(
                N_("The column %(column)s appears twice."), field="file", column=text.strip()[:60]
            )
        found.append(column)
    for column, refusal in REQUIRED.items():
        if column not in found:
            raise DomainError(refusal, field="file")
    return found


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(
            N_(
                "The file is not in UTF-8. In Excel, save it as \u201cCSV UTF-8\u201d or as an"
                " Excel workbook (.xlsx), and upload it again."
            ),
            field="file",
        ) from error


def read(content: bytes, *, file_name: str) -> list[Row]:
    """The rows of an uploaded member list; the file is refused as a whole when unreadable."""
    if not content.strip():
        raise DomainError(N_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise DomainError(
            N_("The file is too large: at most %(max)s kB."), field="file", max=MAX_BYTES // 1024
        )
    if content.startswith(OLD_EXCEL_MAGIC) or file_name.lower().endswith(".xls"):
        raise DomainError(
            N_("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8."),
            field="file",
        )
    if content.startswith(XLSX_MAGIC):
        table = exports.read_xlsx(content, max_rows=MAX_ROWS + 2)
    else:
        text = _text(content)
        if "\x00" in text:
            raise DomainError(N_("The file could not be read as CSV or Excel."), field="file")
        table = exports.read_csv(text, max_rows=MAX_ROWS + 2)
    header_at = next((i for i, row in enumerate(table) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise DomainError(N_("The file is empty."), field="file")
    columns = _columns(table[header_at])
    rows = [
        Row(
            line=header_at + number + 2,
            values={c: cell for c, cell in zip(columns, cells, strict=False) if c is not None},
        )
        for number, cells in enumerate(table[header_at + 1 :])
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise DomainError(N_("The file holds a header but no members."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(
            N_("The file holds more than %(max)s members: split it."), field="file", max=MAX_ROWS
        )
    return rows
