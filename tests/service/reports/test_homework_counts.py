"""The annual report counts homework per group and year: set, and answered per organisation."""

import csv
import io
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from service.reports import annual_report
from service.reports.homework_counts import OrganisationHomework, homework_year
from tests import homework_scenario as hw


def test_homework_set_and_answered_per_organisation(session: Session, tmp_path: Path) -> None:
    world = hw.build(session)
    assignment = hw.set_homework(session, world)
    hw.answer_all(session, world, assignment, hw.shelf(tmp_path))
    # Oostende changes its answer after the deadline: it answered in time, so it counts once.
    late = hw.DEADLINE + timedelta(hours=1)
    hw.answer(session, assignment, world.people["Oostende"][0], hw.OOSTENDE_LATE, now=late,
              store=hw.shelf(tmp_path))  # fmt: skip
    assert world.group.id is not None

    found = homework_year(session, year=2026)[world.group.id]
    assert found.assignments == 1
    assert found.organisations == [
        OrganisationHomework(f"Stad {city}", 1, 0 if city in hw.SILENT else 1) for city in hw.CITIES
    ]
    assert world.group.id not in homework_year(session, year=2025)

    (line,) = [r for r in annual_report.build(session, year=2026) if r.group.id == world.group.id]
    text = annual_report.markdown([line], year=2026)
    assert (
        "Thuisopdrachten: 1, beantwoord per organisatie: Stad Aalst 1/1; Stad Antwerpen 1/1;"
        in text
    )
    assert "Stad Genk 0/1;" in text and text.count("/1") == 14
    row = next(
        iter(list(csv.reader(io.StringIO(annual_report.csv_text([line])), delimiter=";"))[1:])
    )
    assert row[-2] == "1" and row[-1].startswith("Stad Aalst 1/1; Stad Antwerpen 1/1")
