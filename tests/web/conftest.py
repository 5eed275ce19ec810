"""An app on its own database with the demo data, and clients signed in as each persona."""

import re
from collections.abc import AsyncIterator, Callable, Coroutine
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

SignIn = Callable[[str], Coroutine[Any, Any, httpx.AsyncClient]]


@pytest.fixture
async def app(demo_database_url: str, now: datetime, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app with demo data, a pinned clock and a fixed secret key."""
    settings = Settings(
        database_url=demo_database_url,
        data_dir=tmp_path,
        # The copy holds the demo data already, loaded by the app's own start-up code.
        load_demo_data=False,
        secret_key="test-secret-key",
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: now
    async with app.router.lifespan_context(app):
        yield app


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
        return mail_links.url(row.context["link"], key="test-secret-key", base_url="")


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
