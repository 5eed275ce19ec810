"""The member's agenda input as JSON: the same link and rules as the form, described in OpenAPI."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from service.web.deps import get_now
from tests.web.agenda.test_form_pages import MEMBER, _call, _counts, _links, _mine, _open_call
from tests.web.conftest import SignIn, client_for


@pytest.fixture
async def api(app: FastAPI) -> httpx.AsyncClient:
    """A client with no account and no cookies: the token in the path is all it has."""
    return client_for(app)


async def test_read_replace_and_withdraw(
    sign_in: SignIn, db: Engine, api: httpx.AsyncClient
) -> None:
    meeting = await _open_call(sign_in, db)
    path = "/api" + _links(db)[MEMBER]

    read = await api.get(path)
    assert read.status_code == 200
    body = read.json()
    assert (body["meeting_title"], body["group"], body["phase"]) == (meeting.title, "nis2", "open")
    assert body["max_questions"] == 3 and body["questions"] == []

    replaced = await api.put(
        path, json={"questions": [{"question": "Meldplicht?", "context": "Binnen 24 uur"}]}
    )
    assert replaced.status_code == 200, replaced.text
    assert [(q["rank"], q["question"], q["context"]) for q in replaced.json()["questions"]] == [
        (1, "Meldplicht?", "Binnen 24 uur")
    ]

    withdrawn = await api.delete(path)
    assert withdrawn.status_code == 204
    assert (await api.get(path)).json()["questions"] == []
    assert [s.value for _, _, s in _mine(db, MEMBER)] == ["withdrawn"]


async def test_refusals_answer_json_and_change_nothing(
    sign_in: SignIn, db: Engine, api: httpx.AsyncClient
) -> None:
    await _open_call(sign_in, db)
    path = "/api" + _links(db)[MEMBER]
    await api.put(path, json={"questions": [{"question": "Eerste?"}]})
    before = _counts(db)

    for questions, message in (
        ([], "Schrijf minstens één vraag"),
        ([{"question": q} for q in ("Een?", "Twee?", "Drie?", "Vier?")], "hoogstens 3 vragen"),
        ([{"question": "Zelfde?"}, {"question": "zelfde?"}], "twee keer dezelfde vraag"),
        ([{"question": "x" * 501}], "hoogstens 500 tekens"),
    ):
        refused = await api.put(path, json={"questions": questions})
        assert refused.status_code == 422, refused.text
        assert message in refused.json()["detail"]
    assert _counts(db) == before
    assert [q for _, q, _ in _mine(db, MEMBER)] == ["Eerste?"]

    tampered = await api.get(path[:-2] + "zz")
    assert tampered.status_code == 404 and "niet geldig" in tampered.json()["detail"]


async def test_after_the_deadline_the_questions_are_kept_as_late_input(
    app: FastAPI, sign_in: SignIn, db: Engine, api: httpx.AsyncClient
) -> None:
    meeting = await _open_call(sign_in, db)
    path = "/api" + _links(db)[MEMBER]
    call = _call(db, meeting)
    app.dependency_overrides[get_now] = lambda: call.deadline + timedelta(seconds=1)

    late = await api.put(path, json={"questions": [{"question": "Te laat?"}]})
    assert late.status_code == 202
    assert late.json()["phase"] == "late" and "De deadline is voorbij" in late.json()["notice"]
    assert [q["question"] for q in late.json()["late"]] == ["Te laat?"]

    ended = meeting.ends_at
    assert ended is not None
    app.dependency_overrides[get_now] = lambda: ended
    assert (await api.get(path)).status_code == 410


async def test_the_openapi_schema_describes_the_member_api(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    operations = schema["paths"]["/api/input/{token}"]
    assert set(operations) == {"get", "put", "delete"}
    assert "202" in operations["put"]["responses"] and "410" in operations["get"]["responses"]
    assert "QuestionsRequest" in schema["components"]["schemas"]
