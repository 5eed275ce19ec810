"""The directors' table as CSV and as an Excel workbook (.xlsx); the one home of openpyxl and
of the csv module (the annual report's CSV is written here too, and uploaded member lists are
read here: `read_csv`, `read_xlsx`).

The page, the CSV and the workbook are built from the same rows, so they always agree. The
workbook is what Excel and LibreOffice open without any import settings; the CSV is written for
Excel set to Dutch (Belgium): semicolons between fields (the comma is that locale's decimal
sign) and UTF-8 with a byte-order mark, without which Excel reads the accents as Windows-1252.

Cells hold text people typed (a deliverable's title, a reason), so no cell may become a
formula: in the CSV a text that a spreadsheet would read as one gets a leading apostrophe
(OWASP's advice for CSV injection); in the workbook every text cell is written as text, with
Excel's quote prefix on those, so it stays text even when someone edits the cell.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.errors import N_, DomainError
from service import formatting
from service.reports.portfolio import Overview

COLUMNS = (
    N_("Programme"),
    N_("Group"),
    N_("Deliverable"),
    N_("Status"),
    N_("Colour"),
    N_("Accountable"),
    N_("Organisation"),
    N_("Due"),
    N_("First due"),
    N_("Progress"),
    N_("Reason"),
)
PROGRESS_COLUMN = COLUMNS.index("Progress")


def table(
    overview: Overview,
    *,
    gettext: Callable[[str], str],
    language: str,
    status_names: dict[str, str],
    colour_names: dict[str, str],
) -> list[list[str]]:
    """The header and one row of text per deliverable, in the reader's language."""
    rows = [[gettext(column) for column in COLUMNS]]
    for row in overview.rows:
        item = row.deliverable
        slip = row.slip
        rows.append(
            [
                row.programme.name if row.programme else "",
                row.group.short_name,
                item.title,
                status_names[item.status.value],
                colour_names[row.rag.value] if row.rag else "",
                row.accountable or "",
                row.organisation or "",
                formatting.period(item.due_on, item.due_precision, language),
                formatting.period(slip.first_on, slip.first_precision, language)
                if slip.moves
                else "",
                str(item.progress),
                row.last_reason or "",
            ]
        )
    return rows


CSV_SEPARATOR = ";"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reads_as_formula(value: object) -> bool:
    """Whether a spreadsheet would take this cell for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """The cell as a CSV may hold it: a text that would read as a formula gets an apostrophe."""
    return "'" + str(value) if reads_as_formula(value) else value


def to_csv(rows: Sequence[Sequence[object]]) -> str:
    """The table as CSV text, semicolon-separated, with no cell a spreadsheet reads as a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n").writerows(
        [neutralise(cell) for cell in row] for row in rows
    )
    return buffer.getvalue()


def csv_download(text: str) -> bytes:
    """CSV text as the bytes of a download: UTF-8 with a byte-order mark, for Excel."""
    return text.encode("utf-8-sig")


def to_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    """The table as an Excel workbook: a bold header, progress as a number, fitted columns."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet name
    for index, row in enumerate(rows):
        values: list[str | int] = list(row)
        if index and row[PROGRESS_COLUMN].isdigit():
            values[PROGRESS_COLUMN] = int(row[PROGRESS_COLUMN])
        sheet.append(values)
    tidy_sheet(sheet, narrowest=10, widest=60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tidy_sheet(sheet: Worksheet, *, narrowest: int, widest: int) -> None:
    """Text cells kept as text, a bold frozen header, each column fitted to its longest value."""
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as text: never a formula, whatever it starts with
                cell.quotePrefix = reads_as_formula(cell.value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, column in enumerate(sheet.columns, start=1):
        longest = max(len(str(cell.value or "")) for cell in column)
        width = min(max(narrowest, longest + 2), widest)
        sheet.column_dimensions[get_column_letter(number)].width = width


def read_csv(text: str, *, max_rows: int) -> list[list[str]]:
    """The rows of CSV text, comma- or semicolon-separated (Belgian Excel writes semicolons).

    The separator is the one the header line holds more of; at most `max_rows` rows are read.
    """
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") > header.count(",") else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            if len(rows) >= max_rows:
                break
            rows.append(row)
    except csv.Error as error:
        raise DomainError(
            N_("The file could not be read as CSV or Excel."), field="file"
        ) from error
    return rows


def _cell_text(value: object) -> str:
    """A cell as the text a person sees: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def read_xlsx(content: bytes, *, max_rows: int) -> list[list[str]]:
    """The rows of the first sheet of an Excel workbook (.xlsx), as text; at most `max_rows`."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DomainError(
            N_("The file could not be read as an Excel workbook (.xlsx)."), field="file"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) >= max_rows:
                break
            rows.append([_cell_text(v) for v in values])
        return rows
    finally:
        workbook.close()
