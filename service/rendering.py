"""The Jinja2 environment: the one home of jinja2, shared by pages and emails."""

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from models.dates import DatePrecision
from service import formatting
from service.i18n import translations

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache
def environment(language: str = "nl") -> Environment:
    """Build one environment per language: autoescaping on, i18n on, Belgian date filters."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["instant"] = partial(_with_language, formatting.instant, language)
    env.filters["deadline"] = partial(_with_language, formatting.deadline, language)
    env.filters["period"] = partial(_period, language)
    env.globals["language"] = language
    return env


def _with_language(format_: Callable[[datetime, str], str], language: str, value: datetime) -> str:
    return format_(value, language)


def _period(language: str, value: date, precision: DatePrecision) -> str:
    return formatting.period(value, precision, language)
