"""The meeting page: where a meeting stands, and the secretariat's call and scheduling controls."""

from datetime import datetime, timedelta

from markupsafe import escape
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.agenda import AgendaCall, CallStatus
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.notifications import Notification
from tests.conftest import table_counts
from tests.web.agenda.test_review import CHAIR, closed_call_for_next_meeting
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
NIS2_ASKED = [
    "bert.goris@mechelen.example",
    "evelien.janssens@leuven.example",
    "jelle.vanneste@roeselare.example",
    "joris.verheyen@turnhout.example",
    "katrien.lootens@oostende.example",
    "pieter.claeys@gent.example",
    "sander.mertens@antwerpen.example",
    "sarah.bijnens@hasselt.example",
    "ward.vermeersch@brugge.example",
    "yannick.dumon@kortrijk.example",
]


def _next_meeting(db: Engine, slug: str) -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        meeting = session.exec(
            select(Meeting)
            .where(
                Meeting.group_id == group.id,
                Meeting.status.in_([MeetingStatus.planned, MeetingStatus.confirmed]),  # type: ignore[attr-defined]
            )
            .order_by(Meeting.starts_at)  # type: ignore[arg-type]
        ).first()
        assert meeting is not None
        return meeting


async def test_a_member_sees_where_the_meeting_stands(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(NIS2_MEMBER)
    meeting = _next_meeting(db, "nis2")
    page = await client.get(f"/groups/nis2/meetings/{meeting.id}")
    assert page.status_code == 200
    assert "Waar het staat" in page.text and "Volgende stap:" in page.text
    assert "Oproep voor agendapunten gaat open" in page.text
    assert "Oproep nu openen" not in page.text  # members see, the secretariat acts


async def test_the_secretariat_opens_the_call_and_members_get_their_link(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    token = await csrf(client)
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/call/open", data={"csrf_token": token}
    )
    assert response.status_code == 303, response.text
    with Session(db) as session:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
        mails = session.exec(
            select(Notification).where(Notification.kind == "agenda_call_open")
        ).all()
    assert call.status is CallStatus.open
    # The NIS2 group's members and chair in the demo data, each with a link of their own
    # (made when the message is built: the outbox holds which link, never the link itself).
    assert sorted(str(m.recipient_email) for m in mails) == NIS2_ASKED
    assert all(m.context["link"]["kind"] == "form" for m in mails)
    assert len({str(m.context["link"]) for m in mails}) == len(NIS2_ASKED)
    page = await client.get(f"/groups/nis2/meetings/{meeting.id}")
    assert "Oproep nu afsluiten" in page.text


async def test_a_deadline_in_the_past_is_refused_and_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    token = await csrf(client)
    await client.post(f"/groups/nis2/meetings/{meeting.id}/call/open", data={"csrf_token": token})
    with Session(db) as session:
        before = table_counts(session)
        deadline = session.exec(
            select(AgendaCall.deadline).where(AgendaCall.meeting_id == meeting.id)
        ).one()
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/call/extend",
        data={"csrf_token": token, "deadline": "2026-01-05T17:00"},
    )
    assert response.status_code == 422
    assert "De nieuwe deadline moet in de toekomst liggen." in response.text
    with Session(db) as session:
        assert table_counts(session) == before
        assert (
            session.exec(
                select(AgendaCall.deadline).where(AgendaCall.meeting_id == meeting.id)
            ).one()
            == deadline
        )


async def test_schedule_a_one_off_meeting(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    token = await csrf(client)
    response = await client.post(
        "/groups/gdpr/meetings",
        data={
            "csrf_token": token,
            "title": "GDPR – extra overleg Copilot",
            "starts_at": "2027-01-19T14:00",
            "duration_minutes": "90",
            "format": "online",
            "join_url": "https://meet.example/gdpr-copilot",
        },
    )
    assert response.status_code == 303
    with Session(db) as session:
        meeting = session.exec(
            select(Meeting).where(Meeting.title == "GDPR – extra overleg Copilot")
        ).one()
    assert response.headers["location"] == f"/groups/gdpr/meetings/{meeting.id}?done=scheduled"
    shown = await client.get(response.headers["location"])
    assert '<p class="notice" role="status">De vergadering is gepland.</p>' in shown.text
    assert meeting.starts_at is not None and meeting.ends_at is not None
    assert meeting.starts_at.isoformat() == "2027-01-19T13:00:00+00:00"  # 14:00 in Brussels
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)


async def test_a_one_off_meeting_in_the_past_is_refused(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    token = await csrf(client)
    with Session(db) as session:
        before = table_counts(session)
    response = await client.post(
        "/groups/gdpr/meetings",
        data={
            "csrf_token": token,
            "title": "Te laat",
            "starts_at": "2026-01-19T14:00",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 422
    assert "Een vergadering kan niet in het verleden gepland worden." in response.text
    with Session(db) as session:
        assert table_counts(session) == before


async def test_change_the_place_of_a_meeting(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "gdpr")
    token = await csrf(client)
    refused = await client.post(
        f"/groups/gdpr/meetings/{meeting.id}/place",
        data={"csrf_token": token, "format": "physical", "location": ""},
    )
    assert refused.status_code == 422
    assert "Geef het adres van een vergadering die niet online is." in refused.text
    moved = await client.post(
        f"/groups/gdpr/meetings/{meeting.id}/place",
        data={
            "csrf_token": token,
            "format": "physical",
            "location": "Stadhuis Leuven, Grote Markt 9",
            "reason": "Op uitnodiging van Leuven",
        },
    )
    assert moved.status_code == 303
    with Session(db) as session:
        stored = session.get(Meeting, meeting.id)
    assert stored is not None and stored.revision == meeting.revision + 1
    assert stored.location == "Stadhuis Leuven, Grote Markt 9"
    page = await client.get(f"/groups/gdpr/meetings/{meeting.id}")
    assert "Op uitnodiging van Leuven" in page.text


async def test_a_change_made_on_the_meeting_page_returns_to_it(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    page = await client.get(f"/groups/nis2/meetings/{meeting.id}")
    assert 'name="back" value="meeting"' in page.text
    token = await csrf(client)
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/postpone",
        data={"csrf_token": token, "month": "2027-05", "reason": "Zaal", "back": "meeting"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/groups/nis2/meetings/{meeting.id}?done=postponed"
    elsewhere = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/cancel",
        data={"csrf_token": token, "reason": "Zaal", "back": "https://elders.example"},
    )
    assert elsewhere.status_code == 422  # only the meeting's own page is a place to return to


async def test_members_read_the_published_agenda_on_the_meeting_page(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    member = await sign_in(NIS2_MEMBER)
    before = await member.get(f"/groups/nis2/meetings/{meeting_id}")
    assert 'id="published-agenda"' not in before.text  # nothing until it is published

    chair = await sign_in(CHAIR)
    base = f"/api/groups/nis2/meetings/{meeting_id}/agenda"
    draft = (await chair.post(f"{base}/draft", json={})).json()
    dropped = next(i for i in draft["items"] if i["kind"] == "submitted")
    on_agenda = [i["title"] for i in draft["items"] if i["status"] == "accepted" and i != dropped]
    await chair.patch(f"{base}/draft/items/{dropped['id']}", json={"status": "dropped"})
    assert (await chair.post(f"{base}/publish", json={})).status_code == 201

    page = await member.get(f"/groups/nis2/meetings/{meeting_id}")
    shown = page.text.split('id="published-agenda"')[1].split("</ol>")[0]
    assert "Versie 1" in page.text
    assert "Welkom" in shown and "Praktische vragen" in shown and "min.)" in shown
    assert str(escape(dropped["title"])) not in shown
    assert on_agenda and [t for t in on_agenda if str(escape(t)) not in shown] == []


async def test_the_secretariat_sets_the_calls_guidance_before_it_opens(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    base = f"/groups/nis2/meetings/{meeting.id}"
    page = await client.get(base)
    assert 'id="call-settings"' in page.text
    token = await csrf(client)

    with Session(db) as session:
        counts = table_counts(session)
    refused = await client.post(
        f"{base}/call/settings",
        data={"csrf_token": token, "max_questions": "2", "guidance": "x" * 4001},
    )
    assert refused.status_code == 422 and "hoogstens 4000 tekens" in refused.text
    with Session(db) as session:
        assert table_counts(session) == counts

    saved = await client.post(
        f"{base}/call/settings",
        data={"csrf_token": token, "max_questions": "2", "guidance": "Twee vragen <max>."},
    )
    assert saved.status_code == 303
    assert "Twee vragen &lt;max&gt;." in (await client.get(base)).text
    with Session(db) as session:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
        assert (call.status, call.max_questions, call.guidance) == (
            CallStatus.draft,
            2,
            "Twee vragen <max>.",
        )

    api = await client.post(
        f"/api/groups/nis2/meetings/{meeting.id}/call/settings",
        json={"max_questions": 4, "guidance": None},
    )
    assert api.status_code == 200, api.text
    with Session(db) as session:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
        assert (call.max_questions, call.guidance) == (4, None)

    member = await sign_in(NIS2_MEMBER)
    assert 'id="call-settings"' not in (await member.get(base)).text
    forbidden = await member.post(
        f"/api/groups/nis2/meetings/{meeting.id}/call/settings", json={"max_questions": 9}
    )
    assert forbidden.status_code == 403
