"""A named route's path, found without trying every route of the app in turn.

Starlette's `url_path_for` asks each route in order, and each route of another name refuses
with an exception: with the app's hundreds of routes that cost about a millisecond a link,
which a page of fifty work items and a hundred groups paid many times over. Here the routes
that may answer a name are listed once per app and name, in the app's order: the plain routes
of that name and every other kind of route (the static files' mount), so the first that
answers is the one Starlette would find.
"""

from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import NoMatchFound, Route, WebSocketRoute


def _leaves(routes: list[Any]) -> list[Any]:
    """The routes in the order the app asks them, an included router's own routes in its place.

    FastAPI keeps an included router as one route that asks its routes in turn
    (`effective_route_contexts`); each of those answers its name alone when it stands for an
    APIRoute, as a plain route does.
    """
    found: list[Any] = []
    for route in routes:
        inner = getattr(route, "effective_route_contexts", None)
        found.extend(inner() if inner is not None else [route])
    return found


def _named(route: Any) -> bool:
    """Whether the route answers its own name only (so never a name of another route)."""
    if isinstance(route, Route | WebSocketRoute):
        return True
    return isinstance(getattr(route, "original_route", None), APIRoute)


def _candidates(app: Any, name: str) -> list[Any]:
    # Kept on the app itself (name -> routes), so each app of a test run has its own.
    known: dict[str, list[Any]] | None = getattr(app.state, "route_candidates", None)
    if known is None:
        known = {}
        app.state.route_candidates = known
    found = known.get(name)
    if found is None:
        found = [
            route
            for route in _leaves(app.router.routes)
            # A named route of another name never answers; anything else might.
            if not _named(route) or route.name == name
        ]
        known[name] = found
    return found


def path_for(app: Any, name: str, /, **params: object) -> str:
    """The path of a named route with its path parameters, as `app.url_path_for` gives it."""
    texts = {k: str(v) for k, v in params.items()}
    for route in _candidates(app, name):
        try:
            return str(route.url_path_for(name, **texts))
        except NoMatchFound:
            continue
    raise NoMatchFound(name, texts)
