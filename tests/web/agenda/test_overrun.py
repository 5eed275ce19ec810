"""An agenda longer than its meeting is warned about and published only when confirmed."""

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.agenda import AgendaVersion
from tests.conftest import table_counts
from tests.web.agenda.test_review import CHAIR, _token, closed_call_for_next_meeting
from tests.web.conftest import SignIn


async def test_an_overrun_is_warned_about_and_needs_a_confirmation_on_both_doors(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    api = f"/api/groups/nis2/meetings/{meeting_id}/agenda"
    draft = (await client.post(f"{api}/draft", json={})).json()
    item = next(i for i in draft["items"] if i["kind"] == "submitted")
    await client.patch(f"{api}/draft/items/{item['id']}", json={"duration_minutes": 300})

    page = await client.get(f"/groups/nis2/meetings/{meeting_id}/agenda/review")
    assert 'id="overrun"' in page.text and "minuten over" in page.text
    assert 'name="accept_overrun"' in page.text
    with Session(db) as session:
        before = table_counts(session)
    refused = await client.post(f"{api}/publish", json={})
    assert refused.status_code == 422 and refused.json()["field"] == "accept_overrun"
    assert "bevestig" in refused.json()["detail"]
    by_page = await client.post(
        f"/groups/nis2/meetings/{meeting_id}/agenda/publish",
        data={"csrf_token": _token(page), "note": ""},
    )
    assert by_page.status_code == 422 and 'id="accept-overrun"' in by_page.text
    with Session(db) as session:
        assert table_counts(session) == before

    published = await client.post(
        f"/groups/nis2/meetings/{meeting_id}/agenda/publish",
        data={"csrf_token": _token(page), "note": "", "accept_overrun": "true"},
    )
    assert published.status_code == 303, published.text
    with Session(db) as session:
        assert session.get(AgendaVersion, (await client.get(api)).json()["id"]) is not None
