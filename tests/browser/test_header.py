"""The header bar holds the menu and the sign-out button, on a phone and on a laptop."""

from pathlib import Path

from playwright.sync_api import FloatRect, Page

from tests.browser.layout import page_width
from tests.live import deliver, sign_in_link


def _inside(inner: FloatRect | None, outer: FloatRect | None) -> bool:
    assert inner is not None and outer is not None
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def test_the_secretariat_menu_and_sign_out_stay_in_the_bar(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{url}/me")
        header = page.locator("header").bounding_box()
        assert _inside(page.get_by_role("button", name="Afmelden").bounding_box(), header)
        assert _inside(page.locator("nav.site-nav").bounding_box(), header)
        assert page_width(page) <= width
        page.screenshot(path=str(data_dir / f"header-{width}.png"))
