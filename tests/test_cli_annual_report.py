"""`overleg annual-report YEAR`: the 2025 counts of the real report, as Markdown and CSV."""

import csv
import io

import pytest

from tests.test_cli import _run

pytestmark = pytest.mark.slow


def test_annual_report_2025_from_the_demo_data(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url}
    assert _run("demo-data", env=env).returncode == 0
    markdown = _run("annual-report", "2025", env=env)
    assert markdown.returncode == 0, markdown.stderr
    assert "# Werkgroepen in 2025" in markdown.stdout
    assert "De groep kwam in 2025 4 keer samen (4 sessies)." in markdown.stdout
    assert "verplaatst naar februari 2026" in markdown.stdout
    table = _run("annual-report", "2025", "--csv", env=env)
    assert table.returncode == 0, table.stderr
    held = {
        row["Groep"]: row["Vergaderingen gehouden"]
        for row in csv.DictReader(io.StringIO(table.stdout), delimiter=";")
    }
    assert held["Werkgroep GDPR centrumsteden"] == "4"
    assert held["OBMi-werkgroep"] == "7"
    assert held["ORBA – Opvolging Realisatie BestuursAkkoord"] == "8"
    assert held["KBO – Kwaliteit, Beleid & Organisatiebeheersing"] == "4"


def test_a_year_out_of_range_is_refused(empty_database_url: str) -> None:
    result = _run("annual-report", "1999", env={"DATABASE_URL": empty_database_url})
    assert result.returncode != 0
