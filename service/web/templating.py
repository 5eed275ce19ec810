"""Starlette's template responses over the shared Jinja2 environment of service.rendering."""

from functools import lru_cache

from fastapi.templating import Jinja2Templates

from service.rendering import environment


@lru_cache
def templates(language: str) -> Jinja2Templates:
    """Template responses rendered in one language."""
    return Jinja2Templates(env=environment(language))
