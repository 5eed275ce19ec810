"""The summary as an Excel workbook and as a presentation (.pptx) that opens the next meeting.

Both are built from the same Summary as the page, in the reader's language. Cells and slides
hold text people typed: workbook cells are written as text (never a formula, as in
service.reports.exports), slides as plain text runs.
"""

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.slide import Slide
from pptx.util import Inches, Pt

from models.errors import N_
from models.homework import QuestionKind
from service import formatting
from service.homework import values
from service.homework.summary import QuestionSummary, Summary, file_path
from service.reports.exports import tidy_sheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_CHARTED = (
    QuestionKind.yes_no,
    QuestionKind.one_choice,
    QuestionKind.several_choices,
    QuestionKind.number,
)
Gettext = Callable[[str], str]


def cell_text(question: QuestionSummary, value: object, gettext: Gettext, language: str) -> str:
    """A stored answer as the reader reads it (yes and no, numbers, in their language)."""
    if question.question.kind is QuestionKind.yes_no and value is not None:
        return gettext("yes") if value else gettext("no")
    return values.shown(question.question, value, language)


def bar_label(question: QuestionSummary, label: str, gettext: Gettext) -> str:
    """A bar's label: yes and no translated, choices and cities as they are."""
    if question.question.kind is QuestionKind.yes_no:
        return gettext(label)
    return label


def grid(summary: Summary, gettext: Gettext, language: str) -> list[list[str]]:
    """The header (organisation, then each question) and one row per answerer."""
    rows = [
        [gettext("Organisation")]
        + [f"{q.question.position}. {q.question.prompt}" for q in summary.questions]
    ]
    for index, who in enumerate(summary.answered):
        rows.append(
            [who] + [cell_text(q, q.cells[index][1], gettext, language) for q in summary.questions]
        )
    return rows


def _as_text(sheet: Worksheet) -> None:
    tidy_sheet(sheet, narrowest=12, widest=50)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _link_files(sheet: Worksheet, summary: Summary, base_url: str) -> None:
    """A file answer's cell links to its download (the chair's, the secretariat's, its own)."""
    for column, part in enumerate(summary.questions, start=2):
        if part.question.kind is not QuestionKind.file:
            continue
        for index, (_, value) in enumerate(part.cells):
            if value is not None:
                cell = sheet.cell(row=index + 2, column=column)
                cell.hyperlink = base_url.rstrip("/") + file_path(
                    summary, index=index, question=part.question
                )
                cell.style = "Hyperlink"


def to_xlsx(summary: Summary, *, gettext: Gettext, language: str, base_url: str) -> bytes:
    """Three sheets: the grid of answers, the counts per question, who did not answer."""
    workbook = Workbook()
    answers = workbook.active
    assert answers is not None
    answers.title = gettext("Answers")[:31]
    for row in grid(summary, gettext, language):
        answers.append(row)
    _link_files(answers, summary, base_url)
    _as_text(answers)
    counts = workbook.create_sheet(gettext("Counts")[:31])
    counts.append([gettext("Question"), gettext("Answer"), gettext("Count")])
    for part in summary.questions:
        if part.question.kind in _CHARTED and part.question.kind is not QuestionKind.number:
            for bar in part.bars:
                counts.append(
                    [part.question.prompt, bar_label(part, bar.label, gettext), int(bar.value)]
                )
        for name, number in part.numbers.items():
            counts.append([part.question.prompt, gettext(_STATS[name]), number])
        for number, group in enumerate(part.groups, start=1):
            for city, text in group.answers:
                counts.append([part.question.prompt, f"{gettext('Group')} {number}: {city}", text])
    _as_text(counts)
    silent = workbook.create_sheet(gettext("Did not answer")[:31])
    silent.append([gettext("Organisation")])
    for who in summary.silent:
        silent.append([who])
    _as_text(silent)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_STATS = {
    "count": N_("Answers"),
    "min": N_("Lowest"),
    "max": N_("Highest"),
    "mean": N_("Average"),
    "median": N_("Median"),
}


def stats_names() -> dict[str, str]:
    """The message ids of the number statistics, for the page."""
    return dict(_STATS)


def _text_box(slide: Slide, lines: list[tuple[str, bool]], *, top: float, height: float) -> None:
    """Plain lines (bold or not) in a box under the title, small enough to fit."""
    box = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(12.3), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    size = Pt(14 if len(lines) <= 10 else 11)
    for index, (text, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = size
        run.font.bold = bold


def to_pptx(summary: Summary, *, gettext: Gettext, language: str) -> bytes:
    """A title slide and one slide per question, every city named."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    assert title_slide.shapes.title is not None
    title_slide.shapes.title.text = summary.assignment.title
    subtitle = title_slide.placeholders[1]
    when = (
        formatting.instant(summary.meeting.starts_at, language) if summary.meeting.starts_at else ""
    )
    answered = gettext("Answered: %(count)s of %(total)s") % {
        "count": len(summary.answered),
        "total": len(summary.answered) + len(summary.silent),
    }
    lines = [f"{summary.group.name} — {summary.meeting.title}, {when}", answered]
    if summary.silent:
        lines.append(gettext("Did not answer: %(names)s") % {"names": ", ".join(summary.silent)})
    subtitle.text = "\n".join(lines)
    for part in summary.questions:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        assert slide.shapes.title is not None
        slide.shapes.title.text = f"{part.question.position}. {part.question.prompt}"
        slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
        _question_slide(slide, part, gettext, language)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _question_slide(slide: Slide, part: QuestionSummary, gettext: Gettext, language: str) -> None:
    kind = part.question.kind
    if kind in _CHARTED and part.bars:
        data: Any = CategoryChartData()  # type: ignore[no-untyped-call]
        data.categories = [bar_label(part, bar.label, gettext) for bar in part.bars]
        data.add_series(gettext("Answers"), [bar.value for bar in part.bars])
        # The stubs call the result a Chart; python-pptx returns the frame that holds it.
        frame: Any = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.5), Inches(6.3), Inches(5.5), data
        )
        frame.chart.has_legend = False
        frame.chart.plots[0].has_data_labels = True
        shown = [
            f"{who}: {cell_text(part, value, gettext, language)}"
            for who, value in part.cells
            if value is not None
        ]
        box = slide.shapes.add_textbox(Inches(7.0), Inches(1.5), Inches(5.8), Inches(5.5))
        frame_text = box.text_frame
        frame_text.word_wrap = True
        for index, text in enumerate(shown):
            paragraph = frame_text.paragraphs[0] if index == 0 else frame_text.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(12)
        return
    if kind is QuestionKind.text:
        lines: list[tuple[str, bool]] = []
        for group in part.groups:
            cities = ", ".join(city for city, _ in group.answers)
            lines.append((cities, True))
            lines += [(f"   {text}", False) for _, text in group.answers]
        _text_box(slide, lines or [(gettext("No answers."), False)], top=1.5, height=5.6)
        return
    sent = [who for who, value in part.cells if value is not None]
    text = (
        gettext("Sent a file: %(names)s") % {"names": ", ".join(sent)}
        if sent
        else gettext("No answers.")
    )
    _text_box(slide, [(text, False)], top=1.5, height=5.6)
