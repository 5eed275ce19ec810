"""The secretariat starts, changes and archives groups on pages and through the API."""

import re

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import GroupStatus, WorkingGroup
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
CHAIR = "pieter.claeys@gent.example"

FORM = {
    "slug": "energie",
    "short_name": "Energie",
    "name": "Werkgroep Energie",
    "kind": "werkgroep",
    "meetings_per_year": "4",
    "preferred_weekday": "1",
    "preferred_start_time": "14:00",
    "default_duration_minutes": "120",
    "default_format": "online",
    "call_opens_days_before": "21",
    "call_closes_days_before": "7",
    "call_max_questions": "3",
    "minutes_review_days": "14",
}


def _count(db: Engine) -> int:
    with Session(db) as session:
        return len(session.exec(select(WorkingGroup)).all())


async def _post(client: httpx.AsyncClient, path: str, form: dict[str, str]) -> httpx.Response:
    return await client.post(
        path, data=form | {"csrf_token": await csrf(client)}, headers={"accept": "text/html"}
    )


async def test_the_secretariat_starts_a_group_on_the_page(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    register = await secretariat.get("/groups")
    assert register.status_code == 200 and "NIS2" in register.text
    made = await _post(secretariat, "/groups", FORM)
    assert made.status_code == 303
    assert made.headers["location"] == "/groups/energie/settings?done=group_created"
    page = await secretariat.get(made.headers["location"])
    assert "De werkgroep is opgestart" in page.text
    assert 'value="Werkgroep Energie"' in page.text
    planned = await secretariat.post("/api/groups/energie/plan", json={"year": 2027})
    assert planned.status_code == 201 and len(planned.json()) == 4


async def test_bad_input_shows_the_form_again_with_a_dutch_message(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    before = _count(db)
    for change, message in (
        ({"name": ""}, "Dit veld is verplicht."),
        ({"slug": "nis2"}, "bestaat al"),
        ({"cadence_rrule": "FREQ=FORTNIGHTLY", "meetings_per_year": ""}, "ongeldig"),
        ({"cadence_rrule": "FREQ=MONTHLY"}, "niet allebei"),
        ({"meetings_per_year": "vier"}, "geheel getal"),
        ({"preferred_start_time": "25:99"}, "14:00"),
        ({"kind": "club"}, "keuzes"),
    ):
        refused = await _post(secretariat, "/groups", FORM | change)
        assert refused.status_code == 422, change
        assert message in refused.text, (change, refused.text)
        # What was typed is shown again.
        assert 'value="Energie"' in refused.text
    assert _count(db) == before


async def test_the_settings_page_saves_and_archives(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    assert (
        await secretariat.post(
            "/api/groups",
            json={"slug": "energie", "short_name": "Energie", "name": "Werkgroep Energie"},
        )
    ).status_code == 201
    page = await secretariat.get("/groups/energie/settings")
    assert page.status_code == 200
    form = FORM | {"name": "Werkgroep Energie en Klimaat", "is_public": "on"}
    form.pop("slug")
    saved = await _post(secretariat, "/groups/energie/settings", form)
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=group_saved")
    refused = await _post(
        secretariat, "/groups/energie/settings", form | {"call_closes_days_before": "30"}
    )
    assert refused.status_code == 422 and "moet openen voor" in refused.text
    archived = await _post(secretariat, "/groups/energie/archive", {})
    assert archived.status_code == 303
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "energie")).one()
        assert group.name == "Werkgroep Energie en Klimaat" and group.is_public
        assert group.status is GroupStatus.closed
    # Still readable, and it plans nothing.
    assert (await secretariat.get("/groups/energie")).status_code == 200
    again = await secretariat.post("/api/groups/energie/plan", json={"year": 2027})
    assert again.status_code == 422 and "gearchiveerd" in again.json()["detail"]


async def test_the_api_creates_reads_changes_and_archives(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    made = await secretariat.post(
        "/api/groups",
        json={
            "slug": "energie",
            "short_name": "Energie",
            "name": "Werkgroep Energie",
            "cadence_rrule": "FREQ=MONTHLY;BYDAY=2TU",
            "preferred_start_time": "10:00:00",
            "is_public": True,
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["cadence_rrule"] == "FREQ=MONTHLY;BYDAY=2TU"
    changed = await secretariat.patch(
        "/api/groups/energie", json={"cadence_rrule": None, "meetings_per_year": 6}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["cadence_rrule"], changed.json()["meetings_per_year"]) == (None, 6)
    assert changed.json()["is_public"] is True  # not sent, not changed
    refused = await secretariat.patch("/api/groups/energie", json={"cadence_rrule": "FREQ=HOURLY"})
    assert refused.status_code == 422 and refused.json()["field"] == "cadence"
    assert (await secretariat.patch("/api/groups/energie", json={"slug": "x"})).status_code == 422
    duplicate = await secretariat.post(
        "/api/groups", json={"slug": "nis2", "short_name": "NIS2", "name": "Nog eens NIS2"}
    )
    assert duplicate.status_code == 422 and duplicate.json()["field"] == "slug"
    archived = await secretariat.post("/api/groups/energie/archive")
    assert archived.status_code == 200 and archived.json()["status"] == "closed"
    read = await secretariat.get("/api/groups/energie")
    assert read.json()["status"] == "closed" and read.json()["meetings_per_year"] == 6


async def test_a_chair_reads_their_group_but_does_not_rename_or_start_groups(
    sign_in: SignIn,
) -> None:
    # A chair changes how their own group works (tests/web/directory/test_chair_manages.py),
    # not its names, and starts no groups.
    chair = await sign_in(CHAIR)
    assert (await chair.get("/api/groups/nis2")).status_code == 200
    assert (await chair.patch("/api/groups/nis2", json={"name": "Anders"})).status_code == 422
    assert (await chair.get("/groups/nis2/settings")).status_code == 200
    assert (await chair.get("/groups/gdpr/settings")).status_code == 403
    page = await chair.get("/groups")
    assert page.status_code == 403
    assert re.search("Instellingen", (await chair.get("/groups/nis2")).text)
