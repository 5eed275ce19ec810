"""Deque's axe-core, run in the page under test: WCAG 2.1 A and AA violations, as plain data."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    """Each WCAG 2.1 A/AA rule the page breaks, with the elements that break it."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing; ./scripts/test.sh installs it with npm ci")
    # Evaluated through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG_TAGS,
    )
    return [f"{v['id']}: {', '.join(v['nodes'])}" for v in found]
