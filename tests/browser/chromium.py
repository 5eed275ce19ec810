"""One Debian Chromium for the browser tests that run one after another, through Playwright.

Playwright's sync API holds this thread's event loop for as long as it runs, which the async
tests cannot share. So Chromium is started by the first browser test, kept while browser tests
follow each other (each gets a fresh context), and stopped before any other test runs
(tests/conftest.py runs the browser tests last, together, so that happens once).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

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
# Tests that use one of these fixtures drive Chromium.
BROWSER_FIXTURES = frozenset({"browser", "page"})


class SharedChromium:
    """Chromium started on first use and kept until `stop`."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def get(self) -> Browser:
        """The running Chromium, started now if it is not running."""
        if self._browser is None or not self._browser.is_connected():
            self.stop()
            if not Path(CHROMIUM).exists():
                pytest.fail(
                    f"Chromium is not installed at {CHROMIUM}; ./scripts/test.sh installs it"
                )
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        return self._browser

    def stop(self) -> None:
        """Close Chromium and Playwright, which gives this thread's event loop back."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()


SHARED = SharedChromium()


def uses_chromium(item: pytest.Item) -> bool:
    """Whether a collected test drives Chromium."""
    return bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))
