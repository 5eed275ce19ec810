"""Layout measured as the reader sees it: after the page's stylesheet has applied."""

from playwright.sync_api import Page


def styled(page: Page) -> Page:
    """The page once its load event has fired, so its stylesheet is in every measurement."""
    # A locator's wait ends when the element is in the DOM, which can be before the
    # stylesheet has arrived on a busy machine; unstyled, a page is wider than a phone.
    page.wait_for_load_state("load")
    return page


def page_width(page: Page) -> int:
    """The document's width in CSS pixels, horizontal scrolling included."""
    return int(styled(page).evaluate("document.documentElement.scrollWidth"))
