"""Signing in, in a real browser: ask for a link, open it from the mailbox, press the button."""

import re
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.live import deliver_env


def _deliver(database_url: str, data_dir: Path) -> None:
    """Run `overleg deliver` (Playwright's sync API owns this thread's event loop)."""
    env = deliver_env(database_url, data_dir)
    overleg = str(Path(sys.executable).with_name("overleg"))
    subprocess.run([overleg, "deliver"], env=env, check=True, capture_output=True, timeout=120)


def _link(data_dir: Path) -> str:
    mail = message_from_bytes(next((data_dir / "mailbox").glob("*.eml")).read_bytes())
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found = re.search(r"http://\S+/sign-in/\S+", payload.decode("utf-8"))
            assert found is not None
            return found.group(0)
    raise AssertionError("no text part")


def test_sign_in_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/")
    expect(page).to_have_url(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("sander.mertens@antwerpen.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    _deliver(empty_database_url, data_dir)
    page.goto(_link(data_dir))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    expect(page.get_by_role("heading", name="Werkgroepen")).to_be_visible()
    expect(page.get_by_role("link", name="NIS2")).to_be_visible()
    page.screenshot(path=str(data_dir / "home-phone.png"))
    # The same link does not work twice.
    page.goto(_link(data_dir))
    expect(page.get_by_role("alert")).to_contain_text("al gebruikt")
