"""One door per action: every page action has an API twin calling the same use case, routes
stay thin, and the web edge runs no queries of its own.

The checks read the app's routes and the source of their functions, so a new route that
composes use cases itself, grows long, or forgets its API twin fails here.
"""

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from service.mail import previews
from service.settings import Settings
from service.web.app import create_app

WEB = Path(__file__).resolve().parents[2] / "service" / "web"
# Page actions whose API twin would make no sense, and why.
NO_TWIN = {
    "sign_in_use": "spends a sign-in link to start a browser session; scripts use API keys",
    "sign_out": "ends a browser session; an API key is revoked at DELETE /api/me/api-keys/{id}",
}
MAX_LINES = 15
MAX_PARAMETERS = 6


def _routes(app: FastAPI) -> Iterator[APIRoute]:
    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            included = getattr(route, "original_router", None)
            yield from walk(included.routes) if included is not None else [route]

    yield from (r for r in walk(app.routes) if isinstance(r, APIRoute))


def _app() -> FastAPI:
    return create_app(Settings(database_url="sqlite://", secret_key="structure"))


def _is_view(name: str) -> bool:
    """Helpers that build a page (for a refusal) read data; they are not the action."""
    return name.endswith(("_view", "_refused")) or name in ("done", "answer")


def use_cases(function: Callable[..., Any], depth: int = 2) -> set[str]:
    """The service functions a route calls, directly or through a helper of service/web."""
    found: set[str] = set()
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = getattr(function, "__globals__", {})
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name):
            module = names.get(callee.value.id)
            name = module.__name__ if isinstance(module, ModuleType) else ""
            if name.startswith("service.") and not name.startswith("service.web"):
                found.add(f"{name}.{callee.attr}")
        elif isinstance(callee, ast.Name) and depth > 0 and not _is_view(callee.id):
            helper = names.get(callee.id)
            if isinstance(helper, FunctionType) and helper.__module__.startswith("service.web"):
                found |= use_cases(helper, depth - 1)
    return found


def without_twin(app: FastAPI) -> list[str]:
    """The page actions (POST outside /api) no API route does the same use case for."""
    routes = list(_routes(app))
    api = [use_cases(r.endpoint) for r in routes if r.path.startswith("/api/")]
    missing = []
    for route in routes:
        if route.path.startswith("/api/") or "POST" not in (route.methods or set()):
            continue
        if route.name in NO_TWIN:
            continue
        wanted = use_cases(route.endpoint)
        if not wanted:
            missing.append(f"{route.path}: calls no use case of service/")
        elif not any(wanted <= twin for twin in api):
            missing.append(f"{route.path}: no API route calls {sorted(wanted)}")
    return missing


def test_every_page_action_has_an_api_twin_calling_the_same_use_case() -> None:
    assert without_twin(_app()) == []


def _previews_page() -> list[object]:
    return list(previews.all_previews())


def test_the_twin_check_catches_a_page_action_without_twin() -> None:
    app = _app()
    app.router.add_api_route("/orphan", _previews_page, methods=["POST"], name="orphan")
    assert without_twin(app) == [
        "/orphan: no API route calls ['service.mail.previews.all_previews']"
    ]


def test_route_functions_are_short_and_take_few_parameters() -> None:
    too_big = []
    for route in _routes(_app()):
        (node,) = ast.parse(textwrap.dedent(inspect.getsource(route.endpoint))).body
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        lines = (node.end_lineno or node.lineno) - node.lineno + 1  # from `def`, no decorators
        parameters = len(inspect.signature(route.endpoint).parameters)
        if lines > MAX_LINES or parameters > MAX_PARAMETERS:
            too_big.append(f"{route.name}: {lines} lines, {parameters} parameters")
    assert too_big == []


def test_the_web_edge_imports_no_database_library_but_through_its_session_dependency() -> None:
    offenders = []
    for path in WEB.rglob("*.py"):
        if path.name == "deps.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.split(".")[0] in ("sqlmodel", "sqlalchemy"):
                    offenders.append(f"{path.relative_to(WEB)}: {module}")
    assert offenders == []


def test_every_page_has_a_name_of_its_own_for_url_for() -> None:
    names = [r.name for r in _routes(_app()) if not r.path.startswith("/api/")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
