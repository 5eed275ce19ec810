"""Debian's Chromium driven by Playwright, against the live app of tests/conftest.py."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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
