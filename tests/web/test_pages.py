"""The app over real HTTP (ASGI): it migrates at start and serves the overview page."""

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now


@pytest.fixture
async def client(
    empty_database_url: str, now: datetime, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app on the session's database, with demo data and a pinned clock."""
    settings = Settings(database_url=empty_database_url, data_dir=tmp_path, load_demo_data=True)
    app: FastAPI = create_app(settings)
    app.dependency_overrides[get_now] = lambda: now
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_home_lists_groups_in_dutch_with_the_next_meeting(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="nl">' in page and "Werkgroepen" in page
    assert "KBO – Kwaliteit, Beleid &amp; Organisatiebeheersing" in page
    # GDPR meets next on Tuesday 8 December 2026 at 14:00 in Brussels (demo data).
    assert "dinsdag 8 december 2026, 14:00" in page
