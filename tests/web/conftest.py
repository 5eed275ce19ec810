"""An app on its own database with the demo data, and clients signed in as each persona."""

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification
from service.mail import links as mail_links
from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now
from service.web.feeds import serving
from tests.databases import fresh_database, restore

SignIn = Callable[[str], Coroutine[Any, Any, httpx.AsyncClient]]


SECRET_KEY = "test-secret-key"


def _settings(database_url: str, data_dir: Path) -> Settings:
    # The copy holds the demo data already, loaded by the app's own start-up code.
    return Settings(
        database_url=database_url, data_dir=data_dir, load_demo_data=False, secret_key=SECRET_KEY
    )


@pytest.fixture(scope="session")
def shared_app(
    backend: str, demo_database_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """One started app per backend and test process, on a database restored for every test.

    FastAPI builds the state of each of its ~250 routes (pydantic adapters for every parameter)
    at the first request to a new app: 0.3 to 0.7 s of CPU, for the ~1,000 apps a run made when
    each test had its own (bench/results/test_suite.md). Each test still gets its own data, its
    own data folder and settings, clock and caches (`app` below); only the routes are shared.
    """
    directory = tmp_path_factory.mktemp("app")
    with fresh_database(backend, directory, template=demo_database_template) as url:
        app = create_app(_settings(url, directory))
        app.state.test_database_url = url
        lifespan = app.router.lifespan_context(app)
        # The app's start and end run as they do under uvicorn, in a loop of their own: each
        # test runs in a loop of its own (pytest-asyncio), and the app keeps nothing of a loop.
        with asyncio.Runner() as runner:
            runner.run(lifespan.__aenter__())
            try:
                yield app
            finally:
                runner.run(lifespan.__aexit__(None, None, None))


@pytest.fixture
def demo_database_url(backend: str, demo_database_template: str, shared_app: FastAPI) -> str:
    """The shared app's database, made a fresh copy of the demo template for this test."""
    url: str = shared_app.state.test_database_url
    # No pooled connection may outlive the old copy (PostgreSQL drops it under them).
    shared_app.state.engine.dispose()
    restore(backend, url, template=demo_database_template)
    return url


@pytest.fixture
def app(
    shared_app: FastAPI, demo_database_url: str, now: datetime, tmp_path: Path
) -> Iterator[FastAPI]:
    """The app with demo data, a pinned clock and a fixed secret key; a data folder of its own."""
    app = shared_app
    # Everything a test may change or fill besides the database starts afresh.
    app.state.settings = _settings(demo_database_url, tmp_path)
    app.state.feed_cache = serving.FeedCache()
    app.state.feed_access = serving.AccessTally()
    app.dependency_overrides.clear()
    app.dependency_overrides[get_now] = lambda: now
    routes = list(app.router.routes)
    try:
        yield app
    finally:
        app.state.feed_access.flush()  # as the app's end would
        app.dependency_overrides.clear()
        if app.router.routes != routes:  # a test added a route of its own (a failing page)
            app.router.routes[:] = routes
            app.state.route_candidates = None  # service/web/paths.py: found again
            app.openapi_schema = None


@pytest.fixture
def db(app: FastAPI) -> Engine:
    """The app's engine, for reading what requests wrote."""
    engine: Engine = app.state.engine
    return engine


def client_for(app: FastAPI) -> httpx.AsyncClient:
    """A client that talks to the app over ASGI, keeping cookies like a browser."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def csrf(client: httpx.AsyncClient) -> str:
    """Load the sign-in form to get this browser's CSRF token."""
    page = await client.get("/sign-in")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def latest_link(engine: Engine, email: str) -> str:
    """The sign-in link (its path) in the newest outbox message to an address."""
    with Session(engine) as session:
        row = session.exec(
            select(Notification)
            .where(Notification.recipient_email == email)
            .order_by(col(Notification.id).desc())
        ).first()
        assert row is not None, "no sign-in link was queued"
        # The outbox keeps no link, only what makes it with the app's key at send time.
        return mail_links.url(row.context["link"], key=SECRET_KEY, base_url="")


@pytest.fixture
async def sign_in(app: FastAPI, db: Engine) -> AsyncIterator[SignIn]:
    """Sign a new browser in through the real link flow; closes every client afterwards."""
    clients: list[httpx.AsyncClient] = []

    async def _sign_in(email: str) -> httpx.AsyncClient:
        client = client_for(app)
        clients.append(client)
        token = await csrf(client)
        sent = await client.post("/sign-in", data={"email": email, "csrf_token": token})
        assert sent.status_code == 200
        path = latest_link(db, email).removeprefix(app.state.settings.public_url)
        used = await client.post(path, data={"csrf_token": token})
        assert used.status_code == 303, used.text
        # JSON writes on the session cookie carry the (new, session-bound) CSRF token.
        client.headers["x-csrf-token"] = await csrf(client)
        return client

    yield _sign_in
    for client in clients:
        await client.aclose()
