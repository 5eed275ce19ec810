"""Debian's Chromium driven by Playwright, against the live app of tests/conftest.py."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.chromium import SHARED


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
