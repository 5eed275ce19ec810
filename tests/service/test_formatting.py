"""Dates are written the Belgian way, in Brussels time, with the zone on deadlines."""

from datetime import UTC, date, datetime

from models.dates import DatePrecision
from service import formatting


def test_deadline_names_its_zone_in_every_language() -> None:
    moment = datetime(2026, 2, 10, 16, 0, tzinfo=UTC)  # 17:00 in Brussels (winter time)
    assert formatting.deadline(moment) == "dinsdag 10 februari 2026, 17:00 (Brussel)"
    assert formatting.deadline(moment, "fr") == "mardi 10 février 2026, 17:00 (Bruxelles)"
    assert formatting.deadline(moment, "en") == "Tuesday 10 February 2026, 17:00 (Brussels)"


def test_summer_time_is_applied() -> None:
    assert formatting.instant(datetime(2026, 6, 9, 12, 0, tzinfo=UTC)) == (
        "dinsdag 9 juni 2026, 14:00"
    )


def test_fuzzy_periods() -> None:
    assert formatting.period(date(2026, 2, 1), DatePrecision.month) == "februari 2026"
    assert formatting.period(date(2026, 1, 1), DatePrecision.quarter) == "1e kwartaal 2026"
    assert formatting.period(date(2026, 7, 1), DatePrecision.half_year, "en") == "H2 2026"
    assert formatting.period(date(2026, 1, 1), DatePrecision.year) == "2026"
    assert formatting.period(date(2025, 12, 18), DatePrecision.day) == "18 december 2025"
