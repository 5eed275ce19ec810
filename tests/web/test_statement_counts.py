"""The pages people use most send as many SQL statements on a larger organisation as on a small one.

Each page is requested on two generated organisations (bench/generate.py) of different size
(with small pages, so that every list that grows spans several),
and every statement is counted (SQLAlchemy's before_cursor_execute). A count that grows with
the data is an N+1: a query per group, meeting or person where one query would do.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now
from service.web.directory import pages as directory_pages
from service.web.reports import pages as report_pages
from service.web.reports.pages import PAGE_ROWS
from service.web.work import lines as work_lines
from tests.databases import fresh_database
from tests.statements import counting, generator
from tests.web.conftest import client_for, csrf, latest_link

SECRET = "test-secret-key"
SECRETARIAT = "griet.vanhoutte@kcvs.example"
# (scale, years): the larger has three times the groups and people, and three times the years.
SMALL, LARGER = (1, 1), (3, 3)
# The home page's queue a page at a time: smaller than the small organisation's queue here.
QUEUE_PAGE = 10
# The groups (home page, overview) and a group's meetings a page at a time, smaller than the
# small organisation's 20 groups and group 1's meetings of one year.
GROUPS_PAGE = 8
MEETINGS_PAGE = 3
# The overview's programmes a page at a time, fewer than the small organisation's programmes.
PROGRAMMES_PAGE = 2


@asynccontextmanager
async def generated_app(
    url: str, data_dir: Path, now: datetime, size: tuple[int, int]
) -> AsyncIterator[FastAPI]:
    """The app over a generated organisation (and the demo, for the personas)."""
    generator().generate(url, scale=size[0], seed=7, years=size[1], now=now, show=False)
    settings = Settings(database_url=url, data_dir=data_dir, load_demo_data=True, secret_key=SECRET)
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: now
    async with app.router.lifespan_context(app):
        yield app


def _paths(engine: Engine, now: datetime) -> dict[str, str]:
    """The page of each kind: group 1, its latest held meeting, a member's feed and form."""
    pages = generator().sample_pages(engine, now=now, key=SECRET, actor="test")
    meeting_id, feed, form = pages.meeting_id, pages.feed_secret, pages.form_token
    return {
        "secretariat's home": "/",
        "secretariat's home, page 2": "/?work_page=2",
        "secretariat's home, groups page 2": "/?groups_page=2",
        "directors' overview": "/directors",
        "directors' overview, page 2": "/directors?page=2",
        "directors' overview, groups page 2": "/directors?groups_page=2",
        "directors' overview, programmes page 2": "/directors?programmes_page=2",
        "group page": "/groups/groep-1",
        "group page, meetings page 1": "/groups/groep-1?meetings_page=1",
        "meeting page": f"/groups/groep-1/meetings/{meeting_id}",
        "member's feed": f"/feeds/{feed}.ics",
        "agenda form": f"/input/{form}",
    }


async def _signed_in(app: FastAPI) -> httpx.AsyncClient:
    client = client_for(app)
    token = await csrf(client)
    await client.post("/sign-in", data={"email": SECRETARIAT, "csrf_token": token})
    path = latest_link(app.state.engine, SECRETARIAT).removeprefix(app.state.settings.public_url)
    assert (await client.post(path, data={"csrf_token": token})).status_code == 303
    return client


async def _counts(url: str, data_dir: Path, now: datetime, size: tuple[int, int]) -> dict[str, int]:
    async with generated_app(url, data_dir, now, size) as app:
        engine: Engine = app.state.engine
        paths = _paths(engine, now)
        counts = {}
        client = await _signed_in(app)
        try:
            for name, path in paths.items():
                with counting(engine) as sent:
                    answer = await client.get(path)
                assert answer.status_code == 200, (name, answer.status_code)
                counts[name] = len(sent)
                _check_pages(name, answer.text)
                if name.startswith("secretariat"):
                    # The queue too comes a page at a time.
                    queue = answer.text.split('class="work"')[1].split("</table>")[0]
                    shown = queue.count("<tr class=")
                    assert shown == QUEUE_PAGE if name.endswith("home") else shown > 0, name
                    assert shown <= QUEUE_PAGE
                if name.startswith("directors"):
                    # The deliverables come a page at a time, whatever the size.
                    table = answer.text.split('id="deliverables"')[1].split("</table>")[0]
                    shown = table.count("<tr>") - 1
                    assert shown == PAGE_ROWS if name.endswith("overview") else shown > 0, name
                    assert shown <= PAGE_ROWS
        finally:
            await client.aclose()
        return counts


def _rows_of(page: str, start: str) -> int:
    """The rows of the table that starts at `start` (past its header row)."""
    table = page.split(start)[1].split("</table>")[0]
    return table.split("<tbody>")[1].count("<tr")


def _check_pages(name: str, page: str) -> None:
    """The lists that grow come a page at a time, with a plain link to the next or previous."""
    if name.startswith("secretariat"):
        shown = _rows_of(page, '<table class="groups">')
        assert shown == GROUPS_PAGE if "groups page" not in name else 0 < shown <= GROUPS_PAGE
        link = 'groups_page=2#groups" rel="next"' if "groups page" not in name else 'rel="prev"'
        assert link in page, name
    if name.startswith("directors"):
        shown = _rows_of(page, '<table id="groups">')
        assert shown == GROUPS_PAGE if "groups page" not in name else 0 < shown <= GROUPS_PAGE
        assert "groups_page=" in page, name
        programmes = _rows_of(page, '<table id="programmes">')
        first = "programmes page" not in name
        assert programmes == PROGRAMMES_PAGE if first else 0 < programmes <= PROGRAMMES_PAGE
        # The chart's bars are the programmes of the table's page (its numbers: one a row).
        chart = page.split('id="status-chart-title"')[1].split("</figure>")[0]
        assert chart.split("<tbody>")[1].count("<tr>") == programmes, name
        link = 'programmes_page=2#programmes-heading" rel="next"' if first else 'rel="prev"'
        assert link in page, name
    if name.startswith("group page"):
        assert _rows_of(page, '<h2 id="meetings">') <= MEETINGS_PAGE, name
        assert "meetings_page=" in page, name


async def test_statements_do_not_grow_with_the_data(
    backend: str, now: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work_lines, "PAGE_ITEMS", QUEUE_PAGE)
    monkeypatch.setattr(directory_pages, "GROUP_ROWS", GROUPS_PAGE)
    monkeypatch.setattr(directory_pages, "MEETING_ROWS", MEETINGS_PAGE)
    monkeypatch.setattr(report_pages, "GROUP_LINES", GROUPS_PAGE)
    monkeypatch.setattr(report_pages, "PROGRAMME_LINES", PROGRAMMES_PAGE)
    measured = {}
    for size in (SMALL, LARGER):
        directory = tmp_path / f"scale-{size[0]}"
        directory.mkdir()
        with fresh_database(backend, directory) as url:
            measured[size] = await _counts(url, directory, now, size)
    grown = {
        page: (measured[SMALL][page], count)
        for page, count in measured[LARGER].items()
        if count > measured[SMALL][page]
    }
    assert grown == {}, f"statements grew with the data (small, larger): {grown}; {measured}"
