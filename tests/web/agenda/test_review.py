"""The agenda review page and its JSON API, through the app, on the demo NIS2 group."""

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.agenda import AgendaCallCreate, AgendaItem, CallStatus, SubmissionCreate
from models.meetings import Meeting
from models.memberships import Membership
from models.notifications import Notification
from models.people import Person
from service.agenda import calls, drafts, submissions
from service.audit import Actor
from service.directory import groups
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

CHAIR = "pieter.claeys@gent.example"
MEMBER = "sander.mertens@antwerpen.example"
QUESTIONS = [
    ["Wat valt onder 'essentiële entiteit'?", "Hoe melden we een incident aan het CCB?"],
    ["Zijn wij een essentiële of belangrijke entiteit onder NIS2?"],
    ["Welke back-upstrategie hanteren jullie tegen ransomware?"],
]


def closed_call_for_next_meeting(db: Engine, now: datetime) -> int:
    """The NIS2 group's next meeting, with a closed call holding three members' questions."""
    with Session(db) as session:
        group = groups.get_by_slug(session, slug="nis2")
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, col(Meeting.starts_at) > now)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert meeting is not None and meeting.id is not None and meeting.starts_at is not None
        actor = Actor.system("tests")
        call = calls.create_call(
            session,
            meeting_id=meeting.id,
            call_in=AgendaCallCreate(opens_at=now, deadline=meeting.starts_at - timedelta(days=1)),
            actor=actor,
            now=now,
        )
        members = session.exec(
            select(Person)
            .join(Membership, col(Membership.person_id) == Person.id)
            .where(Membership.group_id == group.id, Membership.role == "member")
            .order_by(col(Person.id))
        ).all()
        assert call.id is not None
        for person, texts in zip(members, QUESTIONS, strict=False):
            submissions.replace_submissions(
                session,
                call_id=call.id,
                person=person,
                entries=[SubmissionCreate(rank=r, question=t) for r, t in enumerate(texts, 1)],
                actor=actor,
                now=now,
            )
        call.status = CallStatus.closed
        session.add(call)
        session.commit()
        return meeting.id


def draft_id(db: Engine, meeting_id: int) -> int:
    """The id of the meeting's draft (version 0)."""
    with Session(db) as session:
        version = drafts.draft(session, meeting_id=meeting_id)
        assert version is not None and version.id is not None
        return version.id


def rows_form(
    draft: list[dict[str, Any]], changes: dict[int, dict[str, Any]]
) -> dict[str, list[str]]:
    """The review table's form fields for the draft's items, with some values changed."""
    fields: dict[str, list[str]] = {
        "item_id": [],
        "position": [],
        "title": [],
        "duration_minutes": [],
        "status": [],
    }
    for item in draft:
        row = {**item, **changes.get(item["id"], {})}
        fields["item_id"].append(str(item["id"]))
        for name in ("position", "title", "duration_minutes", "status"):
            fields[name].append(str(row[name]))
    return fields


def _token(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


async def test_the_chair_reviews_and_publishes_on_the_page(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    base = f"/groups/nis2/meetings/{meeting_id}/agenda"
    group_page = await client.get("/groups/nis2")
    assert f'href="{base}/review"' in group_page.text
    empty = await client.get(f"{base}/review")
    assert "Stel de agenda nu op" in empty.text
    token = _token(empty)
    built = await client.post(f"{base}/draft", data={"csrf_token": token})
    assert built.status_code == 303
    page = await client.get(f"{base}/review")
    assert page.status_code == 200
    assert "Welkom" in page.text and "Praktische vragen" in page.text
    # Sources are named by organisation, never by person or address.
    assert "Stad " in page.text and "@" not in page.text.split("<main>")[1]
    assert "Zijn wij een essentiële of belangrijke entiteit onder NIS2?" in page.text
    draft = (await client.get(f"/api{base}/draft")).json()["items"]
    third = draft[2]

    with Session(db) as session:
        counts = table_counts(session)
    rows = rows_form(
        draft, {third["id"]: {"title": "   "}, draft[1]["id"]: {"title": "Nog te bewaren"}}
    )
    refused = await client.post(f"{base}/review", data={"csrf_token": token, **rows})
    assert refused.status_code == 422
    assert "Agendapunt 3 heeft een titel nodig." in refused.text
    assert 'value="Nog te bewaren"' in refused.text  # what was typed stays on the page
    with Session(db) as session:
        assert table_counts(session) == counts

    # One save: the second and third items change places, the third gets a new title and time.
    change: dict[int, dict[str, Any]] = {
        third["id"]: {
            "title": "Essentiële entiteit <of> belangrijke?",
            "duration_minutes": 25,
            "position": 2,
            "status": "accepted",
        },
        draft[1]["id"]: {"position": 3},
    }
    saved = await client.post(
        f"{base}/review", data={"csrf_token": token, **rows_form(draft, change)}
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=list_saved")
    page = await client.get(f"{base}/review")
    assert "Essentiële entiteit &lt;of&gt; belangrijke?" in page.text
    with Session(db) as session:
        stored = {
            item.id: (item.position, item.title, item.duration_minutes, item.status.value)
            for item in session.exec(
                select(AgendaItem).where(AgendaItem.version_id == draft_id(db, meeting_id))
            )
        }
    expected = {
        item["id"]: (item["position"], item["title"], item["duration_minutes"], item["status"])
        for item in draft
    }
    expected[third["id"]] = (2, "Essentiële entiteit <of> belangrijke?", 25, "accepted")
    expected[draft[1]["id"]] = (3, *expected[draft[1]["id"]][1:])
    assert stored == expected
    published = await client.post(f"{base}/publish", data={"csrf_token": token, "note": ""})
    assert published.status_code == 303
    page = await client.get(f"{base}/review")
    assert "Gepubliceerd: versie 1." in page.text
    again = await client.post(f"{base}/publish", data={"csrf_token": token, "note": ""})
    assert again.status_code == 422
    assert "Er is niets aan de agenda veranderd sinds versie 1." in again.text


async def test_members_cannot_see_the_review_page(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(MEMBER)
    page = await client.get(f"/groups/nis2/meetings/{meeting_id}/agenda/review")
    assert page.status_code == 403
    group_page = await client.get("/groups/nis2")
    assert "/agenda/review" not in group_page.text


async def test_the_api_drafts_changes_publishes_and_mails_the_change(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    base = f"/api/groups/nis2/meetings/{meeting_id}/agenda"
    assert (await client.get(base)).status_code == 404
    draft = (await client.post(f"{base}/draft", json={})).json()
    assert draft["number"] == 0 and draft["status"] == "draft"
    submitted = [i for i in draft["items"] if i["kind"] == "submitted"]
    entity = next(i for i in submitted if len(i["sources"]) == 2)
    assert all(s["organisation"].startswith("Stad ") for s in entity["sources"])
    assert all("@" not in s["question"] for s in entity["sources"])
    first = (await client.post(f"{base}/publish", json={})).json()
    assert first["number"] == 1
    assert (await client.get(base)).json()["number"] == 1

    refused = await client.patch(f"{base}/draft/items/{entity['id']}", json={"position": 99})
    assert refused.status_code == 422 and refused.json()["field"] == "position"
    other = next(i for i in submitted if i["id"] != entity["id"])
    merged = await client.post(
        f"{base}/draft/merge", json={"item_id": other["id"], "into_item_id": entity["id"]}
    )
    assert merged.status_code == 200
    item = next(i for i in merged.json()["items"] if i["id"] == entity["id"])
    assert len(item["sources"]) == 2 + len(other["sources"])
    split = await client.post(
        f"{base}/draft/items/{entity['id']}/split",
        json={"submission_ids": [other["sources"][0]["submission_id"]]},
    )
    assert split.status_code == 200
    changed = await client.patch(
        f"{base}/draft/items/{entity['id']}", json={"title": "Entiteiten", "duration_minutes": 30}
    )
    assert changed.status_code == 200
    second = await client.post(f"{base}/publish", json={"note": "Nieuwe titel"})
    assert second.status_code == 201 and second.json()["number"] == 2
    with Session(db) as session:
        mails = session.exec(
            select(Notification).where(Notification.kind == "agenda_changed")
        ).all()
    assert mails and all(m.context["version"] == 2 for m in mails)
    kinds = {c["kind"] for c in mails[0].context["changes"]}
    assert "renamed" in kinds


async def test_a_meeting_of_another_group_is_not_found(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in("griet.vanhoutte@kcvs.example")
    token = await csrf(client)
    response = await client.get(f"/api/groups/gdpr/meetings/{meeting_id}/agenda/draft")
    assert response.status_code == 404
    page = await client.post(
        f"/groups/gdpr/meetings/{meeting_id}/agenda/publish", data={"csrf_token": token}
    )
    assert page.status_code == 404


async def test_the_chair_adds_an_item_by_hand_on_the_page_and_by_api(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    base = f"/groups/nis2/meetings/{meeting_id}/agenda"
    token = _token(await client.get(f"{base}/review"))
    await client.post(f"{base}/draft", data={"csrf_token": token})

    with Session(db) as session:
        counts = table_counts(session)
    refused = await client.post(
        f"{base}/items", data={"csrf_token": token, "title": " ", "duration_minutes": "15"}
    )
    assert refused.status_code == 422 and "Een agendapunt heeft een titel nodig." in refused.text
    with Session(db) as session:
        assert table_counts(session) == counts

    added = await client.post(
        f"{base}/items",
        data={"csrf_token": token, "title": "Gastspreker <CCB>", "duration_minutes": "15"},
    )
    assert added.status_code == 303
    page = await client.get(f"{base}/review")
    assert "Gastspreker &lt;CCB&gt;" in page.text

    api = f"/api/groups/nis2/meetings/{meeting_id}/agenda/draft/items"
    response = await client.post(api, json={"title": "Varia", "duration_minutes": 5})
    assert response.status_code == 201
    titles = [i["title"] for i in response.json()["items"] if i["status"] == "accepted"]
    assert titles[-3:] == ["Gastspreker <CCB>", "Varia", "Praktische vragen"]
    member = await sign_in(MEMBER)
    assert (await member.post(api, json={"title": "Van een lid"})).status_code == 403


async def test_the_api_saves_the_whole_list_in_one_put(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    base = f"/api/groups/nis2/meetings/{meeting_id}/agenda"
    items = (await client.post(f"{base}/draft", json={})).json()["items"]
    keys = ("id", "position", "title", "duration_minutes", "status")
    rows = [{key: item[key] for key in keys} for item in items]

    stale = await client.put(f"{base}/draft/items", json={"items": rows[:-1]})
    assert stale.status_code == 422 and stale.json()["field"] == "items"
    assert (await client.get(f"{base}/draft")).json()["items"] == items

    rows[1]["position"], rows[2]["position"] = 3, 2
    rows[2]["duration_minutes"] = 45
    saved = await client.put(f"{base}/draft/items", json={"items": rows})
    assert saved.status_code == 200
    order = [(i["id"], i["position"], i["duration_minutes"]) for i in saved.json()["items"]]
    expected = [(i["id"], i["position"], i["duration_minutes"]) for i in items]
    expected[1], expected[2] = (
        (items[2]["id"], 2, 45),
        (items[1]["id"], 3, items[1]["duration_minutes"]),
    )
    assert order == expected
