"""Attendance through the real app: the chair's form, the JSON API, refusals, and the minutes."""

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Attendance, AttendanceStatus, Meeting, MeetingStatus
from models.minutes import MinutesVersion
from models.people import Person
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
DIRECTOR = "koenraad.despriet@kortrijk.example"
NIS2_CHAIR = "pieter.claeys@gent.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
GDPR_MEMBER = "liesbeth.vanimpe@aalst.example"  # not in NIS2
RADIO = re.compile(r'<input type="radio" name="(person-\d+)" value="(\w+)"( checked)?>')


def _meeting(db: Engine, slug: str, *, held: bool) -> Meeting:
    """The group's latest held meeting, or its next planned one."""
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        status = MeetingStatus.held if held else MeetingStatus.planned
        order = col(Meeting.starts_at).desc() if held else col(Meeting.starts_at)
        found = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == status)
            .order_by(order)
        ).first()
        assert found is not None
        return found


def _person_id(db: Engine, email: str) -> int:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assert person.id is not None
        return person.id


def _rows(db: Engine, meeting_id: int | None) -> dict[int | None, AttendanceStatus]:
    with Session(db) as session:
        found = session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
        return {row.person_id: row.status for row in found}


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


def _radios(html: str) -> dict[str, str | None]:
    """The checked value per radio group (None when nothing is chosen)."""
    chosen: dict[str, str | None] = {}
    for name, value, checked in RADIO.findall(html):
        chosen.setdefault(name, None)
        if checked:
            chosen[name] = value
    return chosen


async def test_the_chair_records_attendance_and_the_minutes_draft_lists_it(
    sign_in: SignIn, db: Engine
) -> None:
    meeting = _meeting(db, "nis2", held=True)
    base = f"/groups/nis2/meetings/{meeting.id}"
    chair = await sign_in(NIS2_CHAIR)
    token = await csrf(chair)
    assert f'href="{base}/attendance"' in (await chair.get(base)).text
    assert f'href="{base}/attendance"' in (await chair.get(f"{base}/minutes")).text

    page = await chair.get(f"{base}/attendance")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Aanwezigheden: " in html and 'name="csrf_token"' in html
    assert "<legend>Pieter Claeys (Stad Gent)</legend>" in html
    assert "<label><input" in html and "> aanwezig</label>" in html
    radios = _radios(html)
    chair_id, member_id = _person_id(db, NIS2_CHAIR), _person_id(db, NIS2_MEMBER)
    evelien_id = _person_id(db, "evelien.janssens@leuven.example")
    # The 13 people in NIS2 that day (demo data), its observer and external expert included.
    assert len(radios) == 13 and set(radios.values()) == {None}
    assert {f"person-{chair_id}", f"person-{member_id}"} <= set(radios)

    choices = {
        f"person-{chair_id}": "present",
        f"person-{member_id}": "excused",
        f"person-{evelien_id}": "absent",
    }
    saved = await chair.post(f"{base}/attendance", data={"csrf_token": token, **choices})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{base}/attendance?done=attendance_saved"
    assert _rows(db, meeting.id) == {
        chair_id: AttendanceStatus.present,
        member_id: AttendanceStatus.excused,
        evelien_id: AttendanceStatus.absent,
    }
    shown = await chair.get(saved.headers["location"])
    assert "De aanwezigheden zijn bewaard." in shown.text
    assert "Aanwezig: 1, verontschuldigd: 1, afwezig: 1." in shown.text
    assert {k: v for k, v in _radios(shown.text).items() if v} == choices

    counts = _counts(db)
    again = await chair.post(f"{base}/attendance", data={"csrf_token": token, **choices})
    assert again.status_code == 303 and _counts(db) == counts  # nothing twice, no audit either

    started = await chair.post(f"{base}/minutes", data={"csrf_token": token})
    assert started.status_code == 303
    with Session(db) as session:
        body = session.exec(
            select(MinutesVersion.body).where(MinutesVersion.meeting_id == meeting.id)
        ).one()
    present = body.split("## Aanwezig")[1].split("## ")[0]
    assert "- Pieter Claeys (Stad Gent)" in present
    excused = body.split("## Verontschuldigd")[1].split("## ")[0]
    assert "- Sander Mertens (Stad Antwerpen)" in excused
    assert "Evelien Janssens" in body.split("## Afwezig")[1].split("## ")[0]


async def test_a_refused_form_says_why_keeps_the_choices_and_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    meeting = _meeting(db, "nis2", held=True)
    url = f"/groups/nis2/meetings/{meeting.id}/attendance"
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    chair_id, member_id = _person_id(db, NIS2_CHAIR), _person_id(db, NIS2_MEMBER)
    outsider_id = _person_id(db, GDPR_MEMBER)
    assert (
        await secretariat.post(url, data={"csrf_token": token, f"person-{chair_id}": "present"})
    ).status_code == 303
    before, counts = _rows(db, meeting.id), _counts(db)

    outsider = await secretariat.post(
        url,
        data={
            "csrf_token": token,
            f"person-{member_id}": "absent",
            f"person-{outsider_id}": "present",
        },
    )
    assert outsider.status_code == 422
    assert (
        f"Persoon {outsider_id} zat op de dag van de vergadering niet in deze groep."
        in outsider.text
    )
    assert _radios(outsider.text)[f"person-{member_id}"] == "absent"  # the choice is kept
    tampered = await secretariat.post(
        url, data={"csrf_token": token, f"person-{member_id}": "maybe"}
    )
    assert tampered.status_code == 422
    assert "Kies voor elke persoon aanwezig, verontschuldigd of afwezig." in tampered.text
    empty = await secretariat.post(url, data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Kies voor minstens één persoon of die aanwezig" in empty.text
    forged = await secretariat.post(
        url, data={"csrf_token": "forged", f"person-{member_id}": "absent"}
    )
    assert forged.status_code == 403

    upcoming = _meeting(db, "nis2", held=False)
    future = f"/groups/nis2/meetings/{upcoming.id}/attendance"
    page = await secretariat.get(future)
    assert "kunnen genoteerd worden zodra de vergadering begonnen is" in page.text
    assert 'type="radio"' not in page.text
    too_early = await secretariat.post(
        future, data={"csrf_token": token, f"person-{member_id}": "present"}
    )
    assert too_early.status_code == 422
    assert "pas genoteerd worden voor een vergadering die begonnen" in too_early.text
    assert _rows(db, meeting.id) == before and _rows(db, upcoming.id) == {}
    assert _counts(db) == counts


async def test_members_may_not_and_directors_only_read(sign_in: SignIn, db: Engine) -> None:
    meeting = _meeting(db, "nis2", held=True)
    url = f"/groups/nis2/meetings/{meeting.id}/attendance"
    chair_id = _person_id(db, NIS2_CHAIR)
    member = await sign_in(NIS2_MEMBER)
    assert (await member.get(url)).status_code == 403
    assert f'href="{url}"' not in (await member.get(url.removesuffix("/attendance"))).text
    director = await sign_in(DIRECTOR)
    page = await director.get(url)
    assert page.status_code == 200
    assert 'id="attendance"' in page.text and 'type="radio"' not in page.text
    refused = await director.post(
        url, data={"csrf_token": await csrf(director), f"person-{chair_id}": "present"}
    )
    assert refused.status_code == 403
    api = await director.put(
        f"/api{url}", json={"attendance": [{"person_id": chair_id, "status": "present"}]}
    )
    assert api.status_code == 403
    assert _rows(db, meeting.id) == {}


async def test_the_api_lists_records_and_repeats_nothing(sign_in: SignIn, db: Engine) -> None:
    meeting = _meeting(db, "nis2", held=True)
    url = f"/api/groups/nis2/meetings/{meeting.id}/attendance"
    client = await sign_in(NIS2_CHAIR)
    listed = (await client.get(url)).json()
    assert listed["meeting_id"] == meeting.id and listed["open"] is True
    people = listed["people"]
    assert len(people) == 13 and all(p["status"] is None and p["editable"] for p in people)
    assert [p["organisation"] for p in people] == sorted(p["organisation"] for p in people)
    chair = next(p for p in people if p["name"] == "Pieter Claeys")
    assert chair["role"] == "chair" and chair["organisation"] == "Stad Gent"

    body = {
        "attendance": [
            {"person_id": p["person_id"], "status": "present" if i % 3 else "excused"}
            for i, p in enumerate(people)
        ]
    }
    first = await client.put(url, json=body)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["changed"]) == (13, 0)
    assert {p["status"] for p in first.json()["people"]} == {"present", "excused"}
    counts = _counts(db)
    again = await client.put(url, json=body)
    assert again.json()["unchanged"] == 13 and _counts(db) == counts

    before = _rows(db, meeting.id)
    outsider = _person_id(db, GDPR_MEMBER)
    chair_id = chair["person_id"]
    for bad, status, field in (
        ([{"person_id": chair_id, "status": "absent"}] * 2, 422, "attendance"),
        (
            [
                {"person_id": chair_id, "status": "absent"},
                {"person_id": outsider, "status": "present"},
            ],
            422,
            "attendance",
        ),
        ([], 422, "attendance"),
    ):
        refused = await client.put(url, json={"attendance": bad})
        assert refused.status_code == status and refused.json()["field"] == field, refused.text
    invalid = await client.put(
        url, json={"attendance": [{"person_id": chair_id, "status": "late"}]}
    )
    assert invalid.status_code == 422 and "fields" in invalid.json()
    elsewhere = _meeting(db, "gdpr", held=True)
    wrong_group = await client.put(
        f"/api/groups/nis2/meetings/{elsewhere.id}/attendance",
        json={"attendance": [{"person_id": chair_id, "status": "absent"}]},
    )
    assert wrong_group.status_code == 404
    upcoming = _meeting(db, "nis2", held=False)
    too_early = await client.put(
        f"/api/groups/nis2/meetings/{upcoming.id}/attendance",
        json={"attendance": [{"person_id": chair_id, "status": "absent"}]},
    )
    assert too_early.status_code == 422 and too_early.json()["field"] == "meeting"
    assert (await client.get(f"/api/groups/nis2/meetings/{upcoming.id}/attendance")).json()[
        "open"
    ] is False
    assert _rows(db, meeting.id) == before and _counts(db) == counts
