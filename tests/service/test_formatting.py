"""Dates are written the Belgian way, in Brussels time, with the zone on deadlines."""

from datetime import UTC, date, datetime, timedelta

from babel.dates import format_datetime

from models.dates import DatePrecision
from service import formatting
from service.clock import BRUSSELS


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


def test_instant_writes_what_babels_pattern_writes() -> None:
    # `instant` writes the pattern from the locale's names: the same text as Babel's, on every
    # hour of a year that has both clock changes, naive (read as UTC) and aware, in each language.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for language in ("nl", "en", "fr", "de"):
        for hours in range(0, 365 * 24, 7):
            moment = start + timedelta(hours=hours, minutes=hours % 60)
            for value in (moment, moment.replace(tzinfo=None), moment.astimezone(BRUSSELS)):
                expected = format_datetime(
                    value, formatting.INSTANT, tzinfo=BRUSSELS, locale=formatting._locale(language)
                )
                assert formatting.instant(value, language) == expected
    # A day (not an instant) is still Babel's: midnight UTC.
    assert formatting.instant(date(2026, 3, 29)) == "zondag 29 maart 2026, 01:00"  # type: ignore[arg-type]
