"""The annual report for 2025 from the demo data reproduces the counts of the real report."""

import csv
import io
from datetime import datetime

import pytest
from sqlmodel import Session

from service import demo
from service.reports import annual_report


@pytest.fixture
def report_2025(session: Session, now: datetime) -> list[annual_report.GroupYear]:
    demo.load(session, now=now)
    return annual_report.build(session, year=2025)


def _line(report: list[annual_report.GroupYear], slug: str) -> annual_report.GroupYear:
    return next(line for line in report if line.group.slug == slug)


@pytest.mark.parametrize(("slug", "held"), [("gdpr", 4), ("obmi", 7), ("orba", 8), ("kbo", 4)])
def test_meetings_held_match_the_jaarverslag(
    report_2025: list[annual_report.GroupYear], slug: str, held: int
) -> None:
    assert len(_line(report_2025, slug).held) == held


def test_kbo_held_four_sessions_and_the_netwerkdag_is_postponed_apart(
    report_2025: list[annual_report.GroupYear],
) -> None:
    kbo = _line(report_2025, "kbo")
    assert kbo.held_by_kind == "4 sessies"
    assert kbo.theme == "Risicomanagement"
    assert [p.title for p in kbo.postponed] == ["Netwerkdag Interne audit en continue verbetering"]
    assert kbo.postponed[0].moved_to == "februari 2026"
    assert kbo.postponed[0].planned.isoformat() == "2025-12-18"
    assert kbo.cancelled == []
    assert "KBO-sessie Risicomanagement: integriteit" in kbo.topics
    assert kbo.carried_over == ["Netwerkdag Interne audit en continue verbetering (februari 2026)"]


def test_orba_counts_training_and_workshop_as_in_the_report(
    report_2025: list[annual_report.GroupYear],
) -> None:
    assert _line(report_2025, "orba").held_by_kind == "6 vergaderingen, 1 sessie en 1 workshop"


def test_gdpr_delivered_its_2025_documents(report_2025: list[annual_report.GroupYear]) -> None:
    gdpr = _line(report_2025, "gdpr")
    assert [d.title for d in gdpr.delivered] == [
        "Verwerkersovereenkomst Stads- en Gemeentemonitor",
        "Kader doorgeven persoonsgegevens aan advocaten",
        "Gezamenlijk advies over de protocollen",
    ]
    assert "Bibliotheek met standaarddocumenten (voorzien 2026)" in gdpr.carried_over


def test_markdown_and_csv_say_the_same_in_dutch(report_2025: list[annual_report.GroupYear]) -> None:
    text = annual_report.markdown(report_2025, year=2025)
    assert "## Werkgroep GDPR centrumsteden" in text
    assert "De groep kwam in 2025 4 keer samen (4 vergaderingen)." in text
    assert "De groep kwam in 2025 7 keer samen (7 vergaderingen)." in text
    assert "De groep kwam in 2025 4 keer samen (4 sessies)." in text
    assert (
        "Verplaatst: Netwerkdag Interne audit en continue verbetering, gepland op"
        " 18 december 2025, verplaatst naar februari 2026" in text
    )
    rows = list(csv.DictReader(io.StringIO(annual_report.csv_text(report_2025)), delimiter=";"))
    held = {row["Groep"]: int(row["Vergaderingen gehouden"]) for row in rows}
    assert held["Werkgroep GDPR centrumsteden"] == 4
    assert held["OBMi-werkgroep"] == 7
    assert held["ORBA – Opvolging Realisatie BestuursAkkoord"] == 8
    kbo = next(row for row in rows if row["Groep"].startswith("KBO"))
    assert kbo["Waarvan"] == "4 sessies"
    assert kbo["Verplaatst"].startswith("Netwerkdag Interne audit en continue verbetering")
    assert len(rows) == len(report_2025)


def test_a_year_without_activity_is_empty(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    assert annual_report.build(session, year=2010) == []
