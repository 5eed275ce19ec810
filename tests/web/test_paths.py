"""A named route's path found from the routes of that name is the path Starlette finds."""

from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import NoMatchFound

from service.web.paths import path_for


def _named_routes(app: FastAPI) -> list[Any]:
    """Every route with a name and path parameters, an included router's routes too."""
    found: list[Any] = []
    for route in app.router.routes:
        inner = getattr(route, "effective_route_contexts", None)
        found.extend(inner() if inner is not None else [route])
    return [r for r in found if getattr(r, "param_convertors", None) is not None]


def _params(route: Any) -> dict[str, str]:
    """A value for each path parameter that its converter takes (numbers for int, paths)."""
    return {
        name: "7" if type(convertor).__name__ in {"IntegerConvertor", "FloatConvertor"} else "x-1"
        for name, convertor in route.param_convertors.items()
    }


async def test_every_named_route_gives_the_path_starlette_gives(app: FastAPI) -> None:
    routes = _named_routes(app)
    assert len(routes) > 100  # the check is about the whole app
    with_params = 0
    for route in routes:
        params = _params(route)
        with_params += bool(params)
        assert path_for(app, route.name, **params) == app.url_path_for(route.name, **params)
        # Asked again, from the routes listed the first time.
        assert path_for(app, route.name, **params) == app.url_path_for(route.name, **params)
    assert with_params > 50
    # The static files' mount, and a name nobody answers, as Starlette does.
    css = {"path": "overleg.css"}
    assert path_for(app, "static", **css) == app.url_path_for("static", **css) != ""
    with pytest.raises(NoMatchFound):
        path_for(app, "no_such_route")
    with pytest.raises(NoMatchFound):
        path_for(app, routes[0].name, unexpected="1")
