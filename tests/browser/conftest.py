"""Debian's Chromium driven by Playwright, against one live app per backend and worker.

Starting uvicorn imports the whole app, seconds of CPU; the browser tests used to pay that
each. Now one app runs per backend (and per pytest-xdist worker), and each test gets a fresh
copy of the demo database swapped in under it (`tests.databases.restore`), an empty mailbox
folder and an empty app log: what a test commits is gone before the next one starts.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.chromium import SHARED
from tests.databases import fresh_database, restore
from tests.live import SharedApp, fresh_folder, running_app


@pytest.fixture
def browser() -> Browser:
    """Headless Chromium from Debian, shared by the browser tests that follow each other."""
    return SHARED.get()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page, phone-sized."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def shared_app(
    backend: str, demo_database_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedApp]:
    """Uvicorn on a copy of the demo database, started once per backend."""
    data_dir = tmp_path_factory.mktemp("live-app")
    with (
        fresh_database(backend, data_dir, template=demo_database_template) as database_url,
        running_app(database_url, data_dir) as url,
    ):
        yield SharedApp(url=url, database_url=database_url, data_dir=data_dir)


@pytest.fixture
def demo_database_url(
    backend: str, demo_database_template: str, shared_app: SharedApp
) -> Iterator[str]:
    """The shared app's database, made a fresh copy of the demo template for this test."""
    restore(backend, shared_app.database_url, template=demo_database_template)
    fresh_folder(shared_app)
    yield shared_app.database_url


@pytest.fixture
def live_app(shared_app: SharedApp, demo_database_url: str) -> tuple[str, Path]:
    """The shared app, on this test's fresh copy of the demo data; its URL and data folder."""
    return shared_app.url, shared_app.data_dir
