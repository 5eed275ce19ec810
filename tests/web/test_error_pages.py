"""Errors a person can read: a browser gets a page in its language with a way back, the API
keeps its JSON, and an unexpected failure carries the same security headers as any answer."""

import httpx
import pytest
from fastapi import FastAPI

from service.access.permissions import Access
from service.web.security import require
from tests.web.conftest import SignIn, client_for

HTML = {"accept": "text/html,application/xhtml+xml"}
OUTSIDER = "liesbeth.vanimpe@aalst.example"  # a GDPR member, not in NIS2
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "cache-control")


def _is_page(
    response: httpx.Response, status: int, title: str, back: str = "Terug naar de startpagina"
) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text
    assert f'href="/">{back}</a>' in response.text
    assert "Traceback" not in response.text and "{&#34;detail&#34;" not in response.text


async def test_a_member_gets_a_page_for_a_group_they_may_not_see(sign_in: SignIn) -> None:
    client = await sign_in(OUTSIDER)
    page = await client.get("/groups/nis2", headers=HTML)
    _is_page(page, 403, "Je hebt hier geen toegang toe")
    assert "Je hebt geen toegang tot deze actie." in page.text
    api = await client.get("/api/groups/nis2/meetings", headers=HTML)
    assert api.status_code == 403
    assert api.json() == {"detail": "Je hebt geen toegang tot deze actie."}


async def test_unknown_pages_and_meetings_get_a_page_in_the_readers_language(
    app: FastAPI, sign_in: SignIn
) -> None:
    async with client_for(app) as anonymous:
        missing = await anonymous.get("/bestaat-niet", headers=HTML | {"accept-language": "fr"})
    _is_page(missing, 404, "Introuvable", back="Retour à la page d'accueil")
    client = await sign_in(OUTSIDER)
    unknown = await client.get("/groups/gdpr/meetings/999999", headers=HTML)
    _is_page(unknown, 404, "Niet gevonden")
    assert "Onbekende vergadering: 999999." in unknown.text


async def test_a_refused_form_outside_a_page_gets_a_page_too(sign_in: SignIn) -> None:
    client = await sign_in(OUTSIDER)
    expired = await client.post(
        "/groups/gdpr/deliverables", data={"csrf_token": "vals", "title": "x"}, headers=HTML
    )
    _is_page(expired, 403, "Je hebt hier geen toegang toe")
    assert "Dit formulier is verlopen" in expired.text


@pytest.fixture
def failing(app: FastAPI) -> FastAPI:
    """The app with one page and one API route that fail the way a bug would."""

    def broken() -> None:
        raise RuntimeError("a bug")

    app.router.add_api_route("/kapot", broken, dependencies=[require(Access.public)])
    app.router.add_api_route("/api/kapot", broken, dependencies=[require(Access.public)])
    return app


async def test_a_failure_is_a_page_for_a_browser_and_json_for_a_script(failing: FastAPI) -> None:
    transport = httpx.ASGITransport(app=failing, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/kapot", headers=HTML)
        api = await client.get("/api/kapot", headers=HTML)
    _is_page(page, 500, "Er ging iets mis")
    assert "a bug" not in page.text
    assert api.status_code == 500 and "a bug" not in api.text
    assert api.json() == {"detail": "Er ging bij ons iets mis. Probeer het later opnieuw."}
    for response in (page, api):
        for header in HEADERS:
            assert header in response.headers, header
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
