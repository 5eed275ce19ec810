"""The first year through the API, from an empty database with only the secretariat's account.

The same story as tests/browser/test_first_year.py: an organisation, a working group with a
cadence, twelve members imported from a city's list (two rows refused), one of them made
chair, the year planned; then the chair finds the group and what they have to do.
"""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from service.clock import local_today
from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now
from tests.first_year import (
    CHAIR,
    CHAIR_NAME,
    MEMBER_LIST,
    REFUSED,
    SECRETARIAT,
    create_secretariat,
)
from tests.web.conftest import SignIn


@pytest.fixture
async def app(empty_database_url: str, now: datetime, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app on an empty database holding only the secretariat's account; no demo data."""
    create_secretariat(empty_database_url)
    settings = Settings(
        database_url=empty_database_url,
        data_dir=tmp_path,
        load_demo_data=False,
        secret_key="test-secret-key",
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: now
    async with app.router.lifespan_context(app):
        yield app


async def test_the_first_year_of_a_real_installation(sign_in: SignIn, now: datetime) -> None:
    secretariat = await sign_in(SECRETARIAT)
    assert [g["slug"] for g in (await secretariat.get("/api/groups")).json()] == []
    made = await secretariat.post(
        "/api/organisations", json={"slug": "gent", "name": "Stad Gent", "kind": "centre_city"}
    )
    assert made.status_code == 201, made.text
    group = await secretariat.post(
        "/api/groups",
        json={
            "slug": "nis2",
            "short_name": "NIS2",
            "name": "Werkgroep NIS2",
            "meetings_per_year": 4,
            "preferred_weekday": 1,
            "preferred_start_time": "14:00",
        },
    )
    assert group.status_code == 201, group.text

    files = {"file": ("leden-gent.csv", MEMBER_LIST, "text/csv")}
    preview = await secretariat.post("/api/groups/nis2/members/import?dry_run=true", files=files)
    assert preview.json()["counts"] == {
        "new_person": 12,
        "new_membership": 0,
        "role_change": 0,
        "already_there": 0,
        "refused": 2,
    }
    assert {x["line"]: x["reason"] for x in preview.json()["lines"] if x["reason"]} == REFUSED
    assert (await secretariat.get("/api/people")).json()[0]["name"] == "Griet Van Houtte"
    assert len((await secretariat.get("/api/people")).json()) == 1  # nothing stored yet
    imported = await secretariat.post("/api/groups/nis2/members/import", files=files)
    assert (imported.status_code, imported.json()["changes"]) == (200, 12)
    again = await secretariat.post("/api/groups/nis2/members/import", files=files)
    assert again.json()["changes"] == 0

    roster = (await secretariat.get("/api/groups/nis2/members")).json()
    assert len(roster) == 12
    (chair,) = [m for m in roster if m["name"] == CHAIR_NAME]
    today = local_today(now).isoformat()
    made_chair = await secretariat.post(
        f"/api/groups/nis2/members/{chair['membership_id']}/role",
        json={"role": "chair", "on": today},
    )
    assert (made_chair.status_code, made_chair.json()["role"]) == (200, "chair")

    planned = await secretariat.post("/api/groups/nis2/plan", json={"year": now.year + 1})
    assert planned.status_code == 201, planned.text
    assert len(planned.json()) == 4
    first = planned.json()[0]["id"]
    # The first call opens now and closes in two days: the chair has a call to follow.
    opened = await secretariat.post(f"/api/groups/nis2/meetings/{first}/call/open", json={})
    assert opened.status_code == 200, opened.text
    deadline = (now + timedelta(days=2)).isoformat()
    moved = await secretariat.post(
        f"/api/groups/nis2/meetings/{first}/call/extend", json={"deadline": deadline}
    )
    assert moved.status_code == 200, moved.text

    chair_client = await sign_in(CHAIR)
    me = (await chair_client.get("/api/me")).json()
    assert list(me["groups"].values()) == [["chair"]]
    work = (await chair_client.get("/api/me/work")).json()
    assert [(w["kind"], w["group"], w["meeting_id"], w["count"]) for w in work] == [
        ("call_closing", "nis2", first, 0)
    ]
    home = await chair_client.get("/")
    assert home.status_code == 200
    assert 'href="/groups/nis2">NIS2</a>' in home.text  # the group, clickable
    assert "Oproep voor input sluit" in home.text and "0 personen hebben geantwoord" in home.text
    assert "dinsdag 12 januari 2027, 14:00" in home.text  # its next meeting
