"""The CSP allows styles from the stylesheet only (`style-src 'self'`): no page may inline one.

Email templates are left out on purpose: mail clients ignore stylesheets and need inline styles.
So are `documents/`: files handed out inside a download (the meeting pack's agenda), opened from
disk where neither the stylesheet nor the CSP reaches them.
"""

import re
from pathlib import Path

import pytest

from service.rendering import TEMPLATES_DIR
from tests.web.conftest import SignIn

# A style attribute or a <style> element, in any case and spacing.
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
PAGE_TEMPLATES = sorted(
    path
    for path in TEMPLATES_DIR.rglob("*")
    if path.is_file()
    and path.suffix in (".html", ".svg", ".xml")
    and not {"emails", "documents"} & set(path.relative_to(TEMPLATES_DIR).parts)
)


def test_the_scan_sees_the_page_templates() -> None:
    names = {path.relative_to(TEMPLATES_DIR).as_posix() for path in PAGE_TEMPLATES}
    assert {"base.html", "pages/calendars.html", "macros/chart.html"} <= names
    assert not any(name.startswith(("emails/", "documents/")) for name in names)


@pytest.mark.parametrize(
    "template", PAGE_TEMPLATES, ids=lambda path: path.relative_to(TEMPLATES_DIR).as_posix()
)
def test_no_page_template_has_an_inline_style(template: Path) -> None:
    found = [
        f"line {number}: {line.strip()}"
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_STYLE.search(line)
    ]
    assert found == [], "move these styles into templates/static/overleg.css as classes"


async def test_rendered_pages_carry_no_inline_style(sign_in: SignIn) -> None:
    client = await sign_in("griet.vanhoutte@kcvs.example")
    for path in ("/", "/me/calendars", "/directors", "/groups/nis2", "/groups/nis2/deliverables"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert 'action="/sign-out"' in response.text  # the header with its navigation
        assert INLINE_STYLE.search(response.text) is None, path
