"""Expected attendance on the meeting page and in the API; messages left, for the secretariat."""

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.meetings import Meeting
from service.replies import matching
from service.settings import Settings
from tests.service.replies import shapes
from tests.web.conftest import SignIn

SECRETARIAT = "griet.vanhoutte@kcvs.example"
NIS2_CHAIR = "pieter.claeys@gent.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
TITLE = "Werkgroep NIS2 – vergadering 4/2026"


def _meeting_id(db: Engine) -> int:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == TITLE)
        ).one()
        assert meeting.id is not None
        return meeting.id


async def test_the_meeting_page_shows_the_expected_attendance(sign_in: SignIn, db: Engine) -> None:
    base = f"/groups/nis2/meetings/{_meeting_id(db)}"
    chair = await sign_in(NIS2_CHAIR)
    html = (await chair.get(base)).text
    assert '<h2 id="expected-attendance">Verwachte aanwezigheid</h2>' in html
    row = html.split('<th scope="row">Stad Leuven</th>')[1].split("</tr>")[0]
    assert "<td>0</td><td>0</td><td>1</td><td>0</td><td>0</td>" in row
    assert "kan niet komen" in row and "Verlof die week" in row  # the chair reads the note
    member = await sign_in(NIS2_MEMBER)
    seen = (await member.get(base)).text
    assert "Verwachte aanwezigheid" in seen and "Verlof die week" not in seen


async def test_the_api_gives_the_same_per_organisation(sign_in: SignIn, db: Engine) -> None:
    path = f"/api/groups/nis2/meetings/{_meeting_id(db)}/replies"
    chair = await sign_in(NIS2_CHAIR)
    answer = (await chair.get(path)).json()
    counts = {o["organisation"]: o["counts"] for o in answer["organisations"]}
    assert counts["Stad Antwerpen"] == {
        "accepted": 0,
        "tentative": 1,
        "declined": 0,
        "stand_in": 0,
        "none": 0,
    }
    assert counts["Stad Gent"]["accepted"] == 1
    assert answer["totals"]["accepted"] == 2 and answer["totals"]["declined"] == 1
    member = await sign_in(NIS2_MEMBER)
    assert (await member.get(path)).status_code == 403


async def test_the_secretariat_sees_the_messages_left_and_why(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    raw = shapes.gmail(
        f"meeting-{_meeting_id(db)}@127.0.0.1", 0, "onbekend@elders.example", tag="x"
    )
    with Session(db) as session:
        fetched = matching.Fetched("INBOX", 42, matching.digest(raw, raw), now, raw)
        matching.process(session, fetched, settings=Settings(), now=now)
        session.commit()
    secretariat = await sign_in(SECRETARIAT)
    html = (await secretariat.get("/replies/unmatched")).text
    assert "INBOX #42" in html and "verstuurd vanaf een adres dat Overleg niet kent" in html
    assert TITLE in html and "onbekend@elders.example" not in html
    listed = (await secretariat.get("/api/replies/unmatched")).json()["messages"]
    assert [(m["imap_uid"], m["reason"]) for m in listed] == [(42, "unknown_person")]
    member = await sign_in(NIS2_MEMBER)
    assert (await member.get("/api/replies/unmatched")).status_code == 403
    assert (await member.get("/replies/unmatched")).status_code == 403
