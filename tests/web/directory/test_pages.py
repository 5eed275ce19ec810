"""The app over real HTTP (ASGI): it migrates at start and serves the overview page."""

import httpx
from fastapi import FastAPI

from tests.web.conftest import SignIn, client_for


async def test_health(app: FastAPI) -> None:
    async with client_for(app) as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_home_lists_groups_in_dutch_with_the_next_meeting(sign_in: SignIn) -> None:
    client: httpx.AsyncClient = await sign_in("sander.mertens@antwerpen.example")
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="nl">' in page and "Werkgroepen" in page
    assert "KBO – Kwaliteit, Beleid &amp; Organisatiebeheersing" in page
    # GDPR meets next on Tuesday 8 December 2026 at 14:00 in Brussels (demo data).
    assert "dinsdag 8 december 2026, 14:00" in page


async def test_security_headers_on_every_answer(app: FastAPI) -> None:
    async with client_for(app) as client:
        response = await client.get("/sign-in")
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_a_postponement_to_a_past_month_is_not_the_next_meeting(sign_in: SignIn) -> None:
    client = await sign_in("sander.mertens@antwerpen.example")
    page = (await client.get("/")).text
    kbo_row = page[page.index("KBO – Kwaliteit") :].split("</tr>")[0]
    assert "februari 2026" not in kbo_row
    assert "december 2026" in kbo_row
