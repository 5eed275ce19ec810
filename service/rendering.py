"""The Jinja2 environment: the one home of jinja2, shared by pages and emails."""

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    Undefined,
    select_autoescape,
)

from models.dates import DatePrecision
from service import formatting, markdown
from service.i18n import translations

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


class RenderError(ValueError):
    """A template could not be rendered with the data it was given."""


@lru_cache
def environment(language: str = "nl", *, strict: bool = False) -> Environment:
    """Build one environment per language: autoescaping on, i18n on, Belgian date filters.

    Strict environments (for email) refuse a missing value instead of rendering it empty.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined if strict else Undefined,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["instant"] = partial(_with_language, formatting.instant, language)
    env.filters["clock"] = partial(_with_language, formatting.clock, language)
    env.filters["deadline"] = partial(_with_language, formatting.deadline, language)
    env.filters["period"] = partial(_period, language)
    env.filters["dated"] = partial(_dated, language)
    env.filters["markdown"] = markdown.to_html
    env.globals["language"] = language
    return env


def _with_language(format_: Callable[[datetime, str], str], language: str, value: datetime) -> str:
    return format_(value, language)


def _period(language: str, value: date | str, precision: DatePrecision | str) -> str:
    # Outbox contexts are JSON, so dates and precisions may arrive as their text.
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return formatting.period(day, DatePrecision(precision), language)


def _dated(language: str, title: str, starts_at: datetime | str | Undefined | None) -> str:
    # Outbox contexts are JSON, and older rows may have no time for their meeting.
    if isinstance(starts_at, str):
        starts_at = datetime.fromisoformat(starts_at)
    return formatting.dated(title, starts_at if isinstance(starts_at, datetime) else None, language)


def render_strict(name: str, language: str, context: dict[str, Any]) -> str:
    """Render a template that must have every value it uses, or raise RenderError."""
    try:
        return environment(language, strict=True).get_template(name).render(context)
    except (TemplateError, TypeError, ValueError) as error:
        raise RenderError(f"{name}: {error}") from error
