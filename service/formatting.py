"""Dates and times written the Belgian way, in the reader's language, in Europe/Brussels."""

from datetime import date, datetime, timedelta
from functools import lru_cache

from babel.dates import format_date, format_datetime, format_timedelta, get_day_names

from models.dates import DatePrecision
from service.clock import BRUSSELS

_ZONE_NAME = {"nl": "Brussel", "en": "Brussels", "fr": "Bruxelles"}
_QUARTER = {"nl": "{n}e kwartaal {year}", "en": "Q{n} {year}", "fr": "{n}e trimestre {year}"}
_HALF = {"nl": "{n}e helft {year}", "en": "H{n} {year}", "fr": "{n}e semestre {year}"}


def _locale(language: str) -> str:
    return {"nl": "nl_BE", "en": "en_GB", "fr": "fr_BE"}.get(language, "nl_BE")


# A page lists up to 150 instants and Babel walks its pattern for each (some 30 µs); the
# same instants come back on every page of the same meetings, so their texts are kept.
@lru_cache(maxsize=8192)
def instant(value: datetime, language: str = "nl") -> str:
    """'dinsdag 10 februari 2026, 14:00' for an instant, shown in Brussels time."""
    return format_datetime(value, "EEEE d MMMM y, HH:mm", tzinfo=BRUSSELS, locale=_locale(language))


def clock(value: datetime, language: str = "nl") -> str:
    """'16:00': the time of day of an instant in Brussels, for the end of a meeting."""
    return format_datetime(value, "HH:mm", tzinfo=BRUSSELS, locale=_locale(language))


def deadline(value: datetime, language: str = "nl") -> str:
    """A deadline always names its zone: 'dinsdag 10 februari 2026, 17:00 (Brussel)'."""
    return f"{instant(value, language)} ({_ZONE_NAME.get(language, 'Brussel')})"


def period(value: date, precision: DatePrecision, language: str = "nl") -> str:
    """A fuzzy date: '10 februari 2026', 'februari 2026', '1e kwartaal 2026' or '2026'."""
    locale = _locale(language)
    if precision is DatePrecision.day:
        return format_date(value, "d MMMM y", locale=locale)
    if precision is DatePrecision.month:
        return format_date(value, "LLLL y", locale=locale)
    if precision is DatePrecision.quarter:
        template = _QUARTER.get(language, _QUARTER["nl"])
        return template.format(n=(value.month - 1) // 3 + 1, year=value.year)
    if precision is DatePrecision.half_year:
        template = _HALF.get(language, _HALF["nl"])
        return template.format(n=(value.month - 1) // 6 + 1, year=value.year)
    return str(value.year)


def dated(title: str, starts_at: datetime | None, language: str = "nl") -> str:
    """A meeting as people name it: 'GDPR – 12 januari 2027', the day read from its time.

    Titles are stored without their date, so a moved meeting never shows a stale day.
    """
    if starts_at is None:
        return title
    return f"{title} – {period(starts_at.astimezone(BRUSSELS).date(), DatePrecision.day, language)}"


def weekday_names(language: str = "nl") -> list[str]:
    """The days of the week, Monday first, as the reader writes them ('maandag')."""
    names = get_day_names("wide", locale=_locale(language))
    return [names[day] for day in range(7)]


def duration(value: timedelta, language: str = "nl") -> str:
    """A span of time as people say it, rounded: '3 dagen', '5 uur', '2 weken'."""
    return format_timedelta(abs(value), threshold=1.5, locale=_locale(language))
