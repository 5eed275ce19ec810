"""The outcome editor and the group's questions, through both doors, with bad input refused."""

import re
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.agenda import Submission
from models.questions import QuestionFate
from service.agenda import drafts
from service.questions import outcomes
from tests.service.questions import journey
from tests.web.conftest import SignIn, csrf


def _setup(db: Engine, now: datetime) -> tuple[journey.Journey, list[outcomes.ItemOutcome]]:
    """The journey's meeting held six days ago, its minutes started, nothing recorded yet."""
    with Session(db, expire_on_commit=False) as session:
        trip = journey.begin(session, now=now - timedelta(days=20))
        journey.publish(session, trip)
        journey.start_minutes(session, trip)
        rows = outcomes.editor(session, meeting_id=trip.meeting.id or 0).items
        session.commit()
        return trip, rows


def _recorded(db: Engine, trip: journey.Journey) -> int:
    """The outcomes recorded for the journey's meeting (the demo has outcomes of its own)."""
    with Session(db) as session:
        rows = select(func.count()).where(QuestionFate.meeting_id == trip.meeting.id)
        return session.exec(rows).one()


async def test_the_editor_refuses_bad_input_keeps_what_was_typed_and_saves_per_item(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    trip, rows = _setup(db, now)
    page = f"/groups/{trip.group_slug}/meetings/{trip.meeting.id}/outcomes"
    secretary = await sign_in(trip.secretary.email)
    token = await csrf(secretary)
    shown = (await secretary.get(page)).text
    for row in rows:
        assert f'id="item-{row.item.id}"' in shown
        for asked in row.questions:
            assert asked.submission.question in shown
    first, second = rows[0].item.id, rows[1].item.id

    refused = await secretary.post(
        page,
        data={
            "csrf_token": token,
            f"outcome_{first}": "answered",
            f"note_{first}": "",
            f"outcome_{second}": "not_handled",
            f"note_{second}": "Geen tijd meer voor dit punt.",
        },
    )
    assert refused.status_code == 422
    assert "Schrijf het korte antwoord dat de vergadering gaf." in refused.text
    assert "Geen tijd meer voor dit punt.</textarea>" in refused.text  # what was typed stays
    assert _recorded(db, trip) == 0

    bogus = await secretary.post(page, data={"csrf_token": token, f"outcome_{first}": "vergeten"})
    assert bogus.status_code == 422
    assert "Kies een van de aangeboden uitkomsten." in bogus.text
    assert _recorded(db, trip) == 0

    saved = await secretary.post(
        page,
        data={
            "csrf_token": token,
            "only": str(second),
            f"outcome_{first}": "answered",  # not saved: only the second row's button was pressed
            f"outcome_{second}": "not_handled",
            f"note_{second}": "Geen tijd meer voor dit punt.",
        },
    )
    assert saved.status_code == 303
    assert _recorded(db, trip) == len(rows[1].questions)
    again = (await secretary.get(saved.headers["location"])).text
    assert "De uitkomsten zijn bewaard." in again
    assert re.search(r'<option value="not_handled" selected>', again)


async def test_the_api_saves_the_whole_meeting_at_once_or_nothing(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    trip, rows = _setup(db, now)
    path = f"/api/groups/{trip.group_slug}/meetings/{trip.meeting.id}/outcomes"
    secretary = await sign_in(trip.secretary.email)
    wrong = [
        {"item_id": rows[0].item.id, "outcome": "decision"},
        {"item_id": rows[1].item.id, "outcome": "deliverable", "deliverable_id": 999_999},
    ]
    refused = await secretary.put(path, json={"outcomes": wrong})
    assert refused.status_code == 422
    assert refused.json()["field"] == f"deliverable_{rows[1].item.id}"
    assert _recorded(db, trip) == 0

    member = await sign_in(trip.askers[0].email)
    assert (await member.put(path, json={"outcomes": wrong[:1]})).status_code == 403
    assert _recorded(db, trip) == 0

    right = [
        {"item_id": r.item.id, "outcome": "answered", "note": f"Antwoord {n}"}
        for n, r in enumerate(rows)
    ]
    saved = await secretary.put(path, json={"outcomes": right})
    assert saved.status_code == 200
    assert [(i["item_id"], i["outcome"], i["note"]) for i in saved.json()] == [
        (r.item.id, "answered", f"Antwoord {n}") for n, r in enumerate(rows)
    ]
    assert _recorded(db, trip) == sum(len(r.questions) for r in rows)
    assert (await secretary.put(path, json={"outcomes": right})).status_code == 200
    assert _recorded(db, trip) == sum(len(r.questions) for r in rows)  # unchanged adds nothing


async def test_the_group_lists_every_question_with_its_path(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    trip, rows = _setup(db, now)
    with Session(db) as session:
        asked = list(
            session.exec(
                select(Submission)
                .where(col(Submission.id).in_([s.id for v in trip.asked.values() for s in v]))
                .order_by(col(Submission.id).desc())
            )
        )
        on_agenda = {a.submission.id for r in rows for a in r.questions}
        assert drafts.published(session, meeting_id=trip.meeting.id or 0) is not None
    member = await sign_in(trip.askers[1].email)
    listed = (await member.get(f"/api/groups/{trip.group_slug}/questions")).json()
    assert [q["id"] for q in listed] == [s.id for s in asked]
    assert [q["status"] for q in listed] == [
        "on_agenda" if s.id in on_agenda else "waiting" for s in asked
    ]
    assert all(q["path"][0]["by"] is None for q in listed)  # the asker is not named
    page = (await member.get(f"/groups/{trip.group_slug}/questions")).text
    for s in asked:
        assert f'id="question-{s.id}"' in page
