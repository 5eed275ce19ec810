"""Who has answered NIS2's call, on the page and through the API, and reminding the others."""

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification
from models.people import Person
from tests.web.agenda.test_form_pages import MEMBER, _links, _open_call, _post
from tests.web.conftest import SignIn, client_for, csrf
from tests.web.test_authorisation import PERSONAS

CHAIR = PERSONAS["chair"]


def _reminders(db: Engine) -> list[int]:
    with Session(db) as session:
        rows = session.exec(
            select(Notification).where(col(Notification.idempotency_key).contains("by-hand"))
        ).all()
        return sorted(r.recipient_person_id or 0 for r in rows)


async def test_the_chair_sees_who_answered_and_reminds_the_others_once_a_day(
    sign_in: SignIn, db: Engine, app: object
) -> None:
    meeting = await _open_call(sign_in, db)
    async with client_for(app) as member:  # type: ignore[arg-type]
        assert (await _post(member, _links(db)[MEMBER], ["Wie is bevoegd?"])).status_code == 303
    chair = await sign_in(CHAIR)
    base = f"/groups/nis2/meetings/{meeting.id}/call"
    page = await chair.get(f"{base}/answers")
    assert page.status_code == 200 and "Wie heeft geantwoord" in page.text
    assert "geantwoord: 1 vraag" in page.text and "nog niet" in page.text

    api = (await chair.get(f"/api{base}/answers")).json()
    with Session(db) as session:
        sander = session.exec(select(Person).where(Person.email == MEMBER)).one()
    people = {p["person_id"]: p for o in api["organisations"] for p in o["people"]}
    assert people[sander.id]["answered"] is True and api["answered"] == 1
    pending = sorted(pid for pid, p in people.items() if not p["answered"])
    assert len(pending) == api["asked"] - 1

    reminded = await chair.post(f"{base}/remind", data={"csrf_token": await csrf(chair)})
    assert reminded.status_code == 303 and reminded.headers["location"].endswith("done=reminded")
    assert _reminders(db) == pending
    again = await chair.post(f"{base}/remind", data={"csrf_token": await csrf(chair)})
    assert again.headers["location"].endswith("done=reminded_already")
    assert (await chair.post(f"/api{base}/remind")).json() == {"queued": 0}
    assert _reminders(db) == pending
    page = await chair.get(f"{base}/answers")
    assert "vandaag al herinnerd" in page.text


async def test_a_member_may_not_see_or_remind(sign_in: SignIn, db: Engine) -> None:
    meeting = await _open_call(sign_in, db)
    member = await sign_in(MEMBER)
    base = f"/groups/nis2/meetings/{meeting.id}/call"
    assert (await member.get(f"{base}/answers")).status_code == 403
    assert (await member.post(f"/api{base}/remind")).status_code == 403
    assert _reminders(db) == []


async def test_the_queue_links_a_closing_call_to_its_answers(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting = await _open_call(sign_in, db)
    secretariat = await sign_in(PERSONAS["secretariat"])
    deadline = (now + timedelta(days=2)).isoformat()
    moved = await secretariat.post(
        f"/api/groups/nis2/meetings/{meeting.id}/call/extend", json={"deadline": deadline}
    )
    assert moved.status_code == 200, moved.text
    work = (await secretariat.get("/api/me/work")).json()
    (closing,) = [w for w in work if w["kind"] == "call_closing" and w["group"] == "nis2"]
    assert closing["url"] == f"/groups/nis2/meetings/{meeting.id}/call/answers"
    assert closing["count"] == 0 and closing["late_seconds"] == -2 * 24 * 3600
