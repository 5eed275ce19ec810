"""Sign-in limits count per address and client: others cannot lock a person out, and a
forwarded header is believed only from configured proxies (uvicorn's forwarded_allow_ips)."""

from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.notifications import Notification
from service import cli
from service.settings import Settings

MEMBER = "sander.mertens@antwerpen.example"


def _client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _links(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.recipient_email) == MEMBER, Notification.kind == "sign_in")
        ).one()


async def test_others_asking_for_my_address_do_not_lock_me_out(app: FastAPI, db: Engine) -> None:
    async with _client(app, "203.0.113.9") as attacker:
        answers = [await attacker.post("/api/sign-in", json={"email": MEMBER}) for _ in range(6)]
    assert [a.status_code for a in answers] == [202] * 5 + [429]
    async with _client(app, "198.51.100.4") as own_device:
        mine = await own_device.post("/api/sign-in", json={"email": MEMBER})
    assert mine.status_code == 202
    assert _links(db) == 6  # five for the attacker's requests, and mine


async def test_a_forwarded_header_does_not_make_a_new_client(app: FastAPI) -> None:
    async with _client(app, "203.0.113.9") as attacker:
        answers = [
            await attacker.post(
                "/api/sign-in",
                json={"email": MEMBER},
                headers={"x-forwarded-for": f"192.0.2.{n}", "forwarded": f"for=192.0.2.{n}"},
            )
            for n in range(6)
        ]
    assert [a.status_code for a in answers] == [202] * 5 + [429]


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        ("", {"proxy_headers": False, "forwarded_allow_ips": None}),
        ("10.0.0.2", {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.2"}),
    ],
)
def test_serve_trusts_forwarded_headers_only_from_configured_proxies(
    monkeypatch: pytest.MonkeyPatch, allowed: str, expected: dict[str, Any]
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(forwarded_allow_ips=allowed))
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    cli.serve(host=None, port=None, workers=None)
    assert {key: seen[key] for key in expected} == expected
