"""Moving a call's deadline on the page and the API: refused with a message, never a 500."""

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"


async def test_a_deadline_before_the_scheduled_opening_is_refused_on_both_doors(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    client = await sign_in(SECRETARIAT)
    made = []
    for day in (4, 11):  # two one-off meetings in May 2027, without a call yet
        answer = await client.post(
            "/api/groups/nis2/meetings",
            json={
                "title": "NIS2 – extra",
                "starts_at": f"2027-05-{day:02d}T12:00:00Z",
                "ends_at": f"2027-05-{day:02d}T14:00:00Z",
            },
        )
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
    page_meeting, api_meeting = made
    with Session(db) as session:
        before = table_counts(session)
    early = now + timedelta(days=2)  # the call of a meeting weeks away opens later than this
    api = await client.post(
        f"/api/groups/nis2/meetings/{api_meeting}/call/extend",
        json={"deadline": early.isoformat()},
    )
    assert api.status_code == 422, api.text
    assert api.json()["detail"].startswith("De deadline moet na de opening van de oproep liggen")
    page = await client.post(
        f"/groups/nis2/meetings/{page_meeting}/call/extend",
        data={"csrf_token": await csrf(client), "deadline": early.strftime("%Y-%m-%dT%H:%M")},
    )
    assert page.status_code == 422, page.text
    assert "De deadline moet na de opening van de oproep liggen" in page.text
    with Session(db) as session:
        assert table_counts(session) == before
