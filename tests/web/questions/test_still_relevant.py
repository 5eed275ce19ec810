"""Questions not handled come back on the next form as "Still relevant?"; one click sends them."""

import re
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models.agenda import Submission
from service.agenda import links, member_form
from service.audit import Actor
from service.questions import again, outcomes
from tests.service.questions import journey
from tests.web.conftest import client_for

KEY = "test-secret-key"
TITLES = {"nl": "Nog relevant?", "en": "Still relevant?", "fr": "Toujours d&#39;actualité ?"}
CANNOT = {
    "nl": "Deze vraag kan hier niet opnieuw ingestuurd worden.",
    "en": "This question cannot be sent again here.",
    "fr": "Cette question ne peut pas être renvoyée ici.",
}


def _approved_and_next_call_open(db: Engine, now: datetime) -> tuple[journey.Journey, int]:
    with Session(db, expire_on_commit=False) as session:
        trip = journey.begin(session, now=now - timedelta(days=20))
        journey.publish(session, trip)
        version = journey.start_minutes(session, trip)
        outcomes.record(
            session,
            meeting_id=trip.meeting.id or 0,
            choices=journey.choices(session, trip),
            actor=Actor.of(trip.secretary),
            now=now - timedelta(days=5),
        )
        journey.approve(session, trip, version)
        call = journey._call(session, trip.next_meeting, now - timedelta(days=1), most=3)
        session.commit()
        return trip, call.id or 0


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _count(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(select(func.count()).select_from(Submission)).one()


async def test_one_click_sends_an_unhandled_question_again(
    app: FastAPI, db: Engine, now: datetime
) -> None:
    trip, call_id = _approved_and_next_call_open(db, now)
    tried = 0
    for person in trip.askers:
        with Session(db) as session:
            grant = links.make_token(call_id=call_id, person_id=person.id or 0, key=KEY)
            form = member_form.open_form(session, token=grant, key=KEY, now=now)
            back = [p.submission for p in again.still_relevant(session, form=form)]
        path = f"/input/{grant}"
        async with client_for(app) as client:
            page = (await client.get(path)).text
            if not back:
                assert 'id="still-relevant"' not in page
                continue
            tried += 1
            language = person.language.value
            assert TITLES[language] in page
            for s in back:
                assert f'id="earlier-{s.id}"' in page
            # Another member's question is not theirs to send again.
            other = next(
                s.id for p in trip.askers if p.id != person.id for s in trip.asked[p.id or 0]
            )
            before = _count(db)
            refused = await client.post(
                path + "/again", data={"csrf_token": _token(page), "submission_id": str(other)}
            )
            assert refused.status_code == 422
            assert CANNOT[language] in refused.text
            assert _count(db) == before

            sent = await client.post(
                path + "/again", data={"csrf_token": _token(page), "submission_id": str(back[0].id)}
            )
            assert sent.status_code == 303
            page = (await client.get(sent.headers["location"])).text
            assert f">{back[0].question}</textarea>" in page
            assert f'id="earlier-{back[0].id}"' not in page
            assert _count(db) == before + 1

            api = await client.get(f"/api/input/{grant}")
            assert [q["question"] for q in api.json()["questions"]] == [back[0].question]
            assert [q["submission_id"] for q in api.json()["still_relevant"]] == [
                s.id for s in back[1:]
            ]
            if len(back) > 1:
                more = await client.post(
                    f"/api/input/{grant}/again", json={"submission_id": back[1].id}
                )
                assert more.status_code == 201
                assert [q["rank"] for q in more.json()["questions"]] == [1, 2]
    assert tried >= 2
