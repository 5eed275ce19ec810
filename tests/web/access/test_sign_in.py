"""Sign-in links: single use, short-lived, tamper-proof; sessions and CSRF."""

import logging
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models.notifications import Notification
from service.web.deps import get_now
from service.web.triggers import Triggers, get_triggers
from tests.web.conftest import SignIn, client_for, csrf, latest_link
from tests.web.offline_triggers import OfflineTriggers

MEMBER = "sander.mertens@antwerpen.example"


async def test_unknown_address_gets_the_same_answer_and_no_mail(app: FastAPI, db: Engine) -> None:
    async with client_for(app) as client:
        token = await csrf(client)
        known = await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
        unknown = await client.post(
            "/sign-in", data={"email": "niemand@nergens.example", "csrf_token": token}
        )
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    with Session(db) as session:
        assert session.exec(select(func.count()).select_from(Notification)).one() == 1


async def test_a_link_works_once(app: FastAPI, db: Engine, sign_in: SignIn) -> None:
    await sign_in(MEMBER)
    path = latest_link(db, MEMBER).removeprefix(app.state.settings.public_url)
    async with client_for(app) as replay:
        token = await csrf(replay)
        again = await replay.post(path, data={"csrf_token": token})
        assert again.status_code == 400 and "al gebruikt" in again.text
        assert (await replay.get("/api/me")).status_code == 401


async def test_an_expired_link_is_refused(app: FastAPI, db: Engine) -> None:
    async with client_for(app) as client:
        token = await csrf(client)
        await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
        path = latest_link(db, MEMBER).removeprefix(app.state.settings.public_url)
        later = app.dependency_overrides[get_now]() + timedelta(minutes=16)
        app.dependency_overrides[get_now] = lambda: later
        response = await client.post(path, data={"csrf_token": token})
    assert response.status_code == 400 and "verlopen" in response.text


async def test_a_tampered_link_is_refused(app: FastAPI, db: Engine) -> None:
    async with client_for(app) as client:
        token = await csrf(client)
        await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
        path = latest_link(db, MEMBER).removeprefix(app.state.settings.public_url)
        response = await client.post(path[:-3] + "abc", data={"csrf_token": token})
    assert response.status_code == 400 and "ongeldig" in response.text


async def test_a_tampered_session_cookie_is_not_signed_in(sign_in: SignIn) -> None:
    client = await sign_in(MEMBER)
    assert (await client.get("/api/me")).status_code == 200
    client.cookies.set("overleg_session", "forged" + client.cookies["overleg_session"][6:])
    assert (await client.get("/api/me")).status_code == 401


async def test_a_form_without_csrf_token_is_refused(app: FastAPI, db: Engine) -> None:
    async with client_for(app) as client:
        await csrf(client)
        response = await client.post("/sign-in", data={"email": MEMBER})
    assert response.status_code == 403
    with Session(db) as session:
        assert session.exec(select(func.count()).select_from(Notification)).one() == 0


async def test_sign_out_ends_the_session(sign_in: SignIn) -> None:
    client = await sign_in(MEMBER)
    token = await csrf(client)
    assert (await client.post("/sign-out", data={"csrf_token": token})).status_code == 303
    assert (await client.get("/api/me")).status_code == 401


async def test_asking_too_often_is_rate_limited(app: FastAPI) -> None:
    async with client_for(app) as client:
        token = await csrf(client)
        answers = [
            (await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})).status_code
            for _ in range(6)
        ]
    assert answers == [200] * 5 + [429]


async def test_the_api_answers_429_when_asked_too_often(app: FastAPI) -> None:
    async with client_for(app) as client:
        answers = [await client.post("/api/sign-in", json={"email": MEMBER}) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [202] * 5 + [429]
    assert answers[-1].json()["detail"] == "Te veel aanvragen. Probeer het over een tijdje opnieuw."


async def test_a_nul_character_is_refused_before_the_database(app: FastAPI) -> None:
    async with client_for(app) as client:
        answer = await client.post("/api/sign-in", json={"email": "a\u0000@b.example"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        "Deze tekst bevat een teken dat niet bewaard kan worden (NUL)."
    )


async def test_revoked_api_key_is_refused(sign_in: SignIn, app: FastAPI) -> None:
    secretariat = await sign_in("griet.vanhoutte@kcvs.example")
    created = await secretariat.post("/api/me/api-keys", json={"label": "script"})
    assert created.status_code == 201
    key = created.json()
    async with client_for(app) as script:
        bearer = {"authorization": f"Bearer {key['secret']}"}
        assert (await script.get("/api/audit", headers=bearer)).status_code == 200
        assert (await secretariat.delete(f"/api/me/api-keys/{key['id']}")).status_code == 204
        refused = await script.get("/api/audit", headers=bearer)
    assert refused.status_code == 401


async def test_asking_for_a_link_starts_delivery_after_the_commit(app: FastAPI, db: Engine) -> None:
    seen: list[tuple[int, bool]] = []

    class RecordingTriggers(OfflineTriggers):
        async def deliver_now(self, *, urgent: bool = False) -> str | None:
            # Read from a separate connection: the queued link must already be committed.
            with Session(db) as session:
                count = session.exec(select(func.count()).select_from(Notification)).one()
            seen.append((count, urgent))
            return "run-id"

    app.dependency_overrides[get_triggers] = lambda: RecordingTriggers()
    async with client_for(app) as client:
        token = await csrf(client)
        await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
    assert seen == [(1, True)]  # the urgent lane: never behind the routine delivery


async def test_triggers_are_off_without_prefect() -> None:
    assert await Triggers(enabled=False).deliver_now() is None


async def test_tokens_never_reach_the_access_log(
    app: FastAPI, db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="overleg.access")
    async with client_for(app) as client:
        token = await csrf(client)
        await client.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
        path = latest_link(db, MEMBER).removeprefix(app.state.settings.public_url)
        await client.get(path)
        await client.post(path, data={"csrf_token": token})
    secret = path.rsplit("/", 1)[1]
    lines = [r.getMessage() for r in caplog.records if r.name == "overleg.access"]
    assert any("/sign-in/{token}" in line for line in lines)
    assert not any(secret in line or token in line for line in lines)
