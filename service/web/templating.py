"""Starlette's template responses over the shared Jinja2 environment of service.rendering.

Pages get three helpers on top of the shared environment: `url_for` answers a route's path
(not an absolute URL, which would be wrong behind a proxy), `limits` holds every length limit
(models/limits.py), and the `label` filter names a stored value as people read it.
"""

from functools import lru_cache
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from models import limits
from service.rendering import environment
from service.web import labels, paths


@pass_context
def url_for(context: Context, name: str, /, **params: Any) -> str:
    """The path of a named route, with its path parameters."""
    return paths.path_for(context["request"].app, name, **params)


@lru_cache
def templates(language: str) -> Jinja2Templates:
    """Template responses rendered in one language."""
    env = environment(language)
    env.globals["url_for"] = url_for
    env.globals["limits"] = limits
    env.filters["label"] = labels.filter_for(language)
    return Jinja2Templates(env=env)
