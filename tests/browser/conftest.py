"""A live app (uvicorn in its own process) and Debian's Chromium driven by Playwright."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.smtp import free_port

CHROMIUM = os.environ.get("OVERLEG_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium tries the network at start, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_app(empty_database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app on a port of its own, with demo data; yields its URL and its data folder."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "OVERLEG_DATA_DIR": str(tmp_path),
        "OVERLEG_PORT": str(port),
        "OVERLEG_SECRET_KEY": "browser-tests",
    }
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    process = subprocess.Popen(
        [uvicorn, "service.web.main:app", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the app did not start")
    yield url, tmp_path
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian, per test: Playwright's sync API holds an event loop in
    this thread for as long as it runs, which the async tests that follow cannot share."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; ./scripts/test.sh installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page, phone-sized."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE")
    yield context.new_page()
    context.close()
