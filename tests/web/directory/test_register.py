"""The register on pages and in the API: people, memberships, organisations, API keys."""

import re

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.audit import AuditEntry
from models.memberships import Membership
from models.notifications import Notification
from models.organisations import Organisation
from models.people import Person
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
MEMBER = "sander.mertens@antwerpen.example"
NEW = {
    "name": "Fien Declercq",
    "email": "fien.declercq@gent.example",
    "organisation": "gent",
    "job_title": "DPO",
    "language": "nl",
    "staff_role": "none",
}


def _counts(db: Engine) -> tuple[int, int, int, int]:
    with Session(db) as session:
        return (
            len(session.exec(select(Person)).all()),
            len(session.exec(select(Membership)).all()),
            len(session.exec(select(Organisation)).all()),
            len(session.exec(select(AuditEntry)).all()),
        )


def _person(db: Engine, email: str) -> Person:
    with Session(db) as session:
        return session.exec(select(Person).where(Person.email == email)).one()


async def test_the_secretariat_adds_a_person_on_the_page(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    added = await secretariat.post("/people", data={**NEW, "csrf_token": token})
    assert added.status_code == 303
    fien = _person(db, NEW["email"])
    assert added.headers["location"] == f"/people/{fien.id}?done=person_added"
    page = await secretariat.get(added.headers["location"])
    assert "De persoon is toegevoegd." in page.text and "Fien Declercq" in page.text
    register = await secretariat.get("/people")
    assert f'href="/people/{fien.id}/erase"' in register.text  # erasing asks first


async def test_bad_input_on_the_page_is_refused_with_the_typed_text_kept(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    counts = _counts(db)
    for changes, message in (
        ({"name": ""}, "Vul de naam van de persoon in."),
        ({"email": MEMBER}, "Er bestaat al een persoon met dat e-mailadres."),
        ({"email": "geen-adres"}, "Dit is geen geldig e-mailadres."),
        ({"organisation": "stad-nergens"}, "Onbekende organisatie: stad-nergens."),
        ({"job_title": "x" * 201}, "De functie is te lang: hoogstens 200 tekens."),
    ):
        refused = await secretariat.post("/people", data={**NEW, **changes, "csrf_token": token})
        assert refused.status_code == 422, changes
        assert message in refused.text
        assert 'value="Fien Declercq"' in refused.text or changes == {"name": ""}
    assert _counts(db) == counts


async def test_the_api_adds_changes_and_reads_a_person(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    made = await secretariat.post("/api/people", json=NEW)
    assert made.status_code == 201, made.text
    person_id = made.json()["id"]
    changed = await secretariat.put(
        f"/api/people/{person_id}", json={**NEW, "name": "Fien De Clercq", "language": "fr"}
    )
    assert changed.status_code == 200 and changed.json()["language"] == "fr"
    read = await secretariat.get(f"/api/people/{person_id}")
    assert read.json()["name"] == "Fien De Clercq"
    counts = _counts(db)
    duplicate = await secretariat.post("/api/people", json={**NEW, "email": MEMBER})
    assert duplicate.status_code == 422
    assert duplicate.json() == {
        "detail": "Er bestaat al een persoon met dat e-mailadres.",
        "field": "email",
    }
    unknown = await secretariat.post("/api/people", json={**NEW, "organisation": "nergens"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "organisation"
    invalid = await secretariat.post("/api/people", json={**NEW, "email": "x@"})
    assert invalid.json()["detail"] == "Dit is geen geldig e-mailadres."  # the reader's language
    assert _counts(db) == counts


async def test_deactivating_stops_feeds_and_sign_in_and_keeps_the_person(
    sign_in: SignIn, db: Engine
) -> None:
    member = await sign_in(MEMBER)
    feed = await member.post("/api/me/calendars", json={"target": "person"})
    assert feed.status_code == 201
    path = httpx.URL(feed.json()["https"]).path
    assert (await member.get(path)).status_code == 200
    secretariat = await sign_in(SECRETARIAT)
    sander = _person(db, MEMBER)
    done = await secretariat.post(f"/api/people/{sander.id}/deactivate")
    assert done.status_code == 200 and done.json()["deactivated_at"]
    assert (await member.get(path)).status_code == 404
    assert (await member.get("/api/me")).status_code == 401  # the session stops too
    with Session(db) as session:
        ended = session.exec(select(Membership).where(Membership.person_id == sander.id)).all()
        assert ended and all(m.left_on is not None for m in ended)
        queued = len(session.exec(select(Notification)).all())
    token = await csrf(secretariat)
    await secretariat.post("/sign-in", data={"email": MEMBER, "csrf_token": token})
    with Session(db) as session:
        assert len(session.exec(select(Notification)).all()) == queued  # no link is sent
    page = await secretariat.get(f"/people/{sander.id}")
    assert "Gedeactiveerd" in page.text and "Opnieuw activeren" in page.text
    register = await secretariat.get("/people")
    assert "Sander Mertens" in register.text and "gedeactiveerd" in register.text


async def test_the_erase_page_says_what_will_go_before_anything_goes(
    sign_in: SignIn, db: Engine
) -> None:
    await sign_in(MEMBER)  # a sign-in link and a browser session, both to be removed
    secretariat = await sign_in(SECRETARIAT)
    sander = _person(db, MEMBER)
    counts = _counts(db)
    page = await secretariat.get(f"/people/{sander.id}/erase")
    assert page.status_code == 200
    assert "Sander Mertens wissen?" in page.text
    assert re.search(r"<td>browsersessies</td><td>1</td><td>verwijderd</td>", page.text)
    assert re.search(r"<td>lidmaatschappen van werkgroepen</td><td>1</td><td>bewaard", page.text)
    preview = await secretariat.get(f"/api/people/{sander.id}/erase")
    assert preview.json()["kept"]["membership"] >= 1
    assert _counts(db) == counts and _person(db, MEMBER).erased_at is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    erased = await secretariat.post(
        f"/people/{sander.id}/erase", data={"csrf_token": token.group(1)}
    )
    assert erased.status_code == 303
    with Session(db) as session:
        assert session.get(Person, sander.id).erased_at is not None  # type: ignore[union-attr]


async def test_memberships_change_role_and_end_with_their_dates(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    fien = (await secretariat.post("/api/people", json=NEW)).json()["id"]
    joined = await secretariat.post(
        f"/api/people/{fien}/memberships",
        json={"group": "nis2", "role": "member", "joined_on": "2026-01-01"},
    )
    assert joined.status_code == 201, joined.text
    first = joined.json()["id"]
    chair = await secretariat.post(
        f"/api/people/{fien}/memberships/{first}/role", json={"role": "chair", "on": "2026-06-01"}
    )
    assert chair.status_code == 200
    history = (await secretariat.get(f"/api/people/{fien}/memberships")).json()
    assert [(m["role"], m["joined_on"], m["left_on"], m["current"]) for m in history] == [
        ("chair", "2026-06-01", None, True),
        ("member", "2026-01-01", "2026-05-31", False),
    ]
    token = await csrf(secretariat)
    ended = await secretariat.post(
        f"/people/{fien}/memberships/{chair.json()['id']}/end",
        data={"on": "2026-12-31", "csrf_token": token},
    )
    assert ended.status_code == 303
    page = await secretariat.get(ended.headers["location"])
    assert "Het lidmaatschap is beëindigd" in page.text and "31 december 2026" in page.text
    before = await secretariat.post(
        f"/people/{fien}/memberships/{first}/end", data={"on": "2025-01-01", "csrf_token": token}
    )
    assert before.status_code == 422 and "kan niet vertrekken" in before.text
    unknown = await secretariat.post(
        f"/api/people/{fien}/memberships", json={"group": "nergens", "joined_on": "2026-01-01"}
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "group"


async def test_organisations_on_the_page_and_in_the_api(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    added = await secretariat.post(
        "/organisations",
        data={
            "name": "Gemeente Lede",
            "slug": "lede",
            "kind": "local_government",
            "csrf_token": token,
        },
    )
    assert added.status_code == 303
    page = await secretariat.get(added.headers["location"])
    assert "De organisatie is toegevoegd." in page.text and "Gemeente Lede" in page.text
    counts = _counts(db)
    refused = await secretariat.post(
        "/organisations",
        data={"name": "Lede", "slug": "lede", "kind": "local_government", "csrf_token": token},
    )
    assert refused.status_code == 422 and "bestaat al" in refused.text
    assert _counts(db) == counts
    listed = (await secretariat.get("/api/organisations")).json()
    lede = next(o for o in listed if o["slug"] == "lede")
    off = await secretariat.post(f"/api/organisations/{lede['id']}/deactivate")
    assert off.json()["deactivated_at"]
    joining = await secretariat.post("/api/people", json={**NEW, "organisation": "lede"})
    assert joining.status_code == 422 and "gedeactiveerd" in joining.json()["detail"]
    renamed = await secretariat.put(
        f"/api/organisations/{lede['id']}",
        json={
            "slug": "lede",
            "name": "Gemeente Lede (Oost-Vlaanderen)",
            "kind": "local_government",
        },
    )
    assert renamed.status_code == 200 and renamed.json()["name"].endswith("(Oost-Vlaanderen)")


async def test_the_organisations_page_deactivates_and_reactivates_through_its_buttons(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    with Session(db) as session:
        gent = session.exec(select(Organisation).where(Organisation.slug == "gent")).one()
    page = (await secretariat.get("/organisations")).text
    assert f'action="/organisations/{gent.id}/deactivate"' in page
    off = await secretariat.post(f"/organisations/{gent.id}/deactivate", data={"csrf_token": token})
    assert off.status_code == 303
    page = (await secretariat.get(off.headers["location"])).text
    assert "De organisatie is gedeactiveerd." in page
    assert f'action="/organisations/{gent.id}/reactivate"' in page
    on = await secretariat.post(f"/organisations/{gent.id}/reactivate", data={"csrf_token": token})
    assert (
        "De organisatie is opnieuw geactiveerd."
        in (await secretariat.get(on.headers["location"])).text
    )
    with Session(db) as session:
        back = session.get(Organisation, gent.id)
    assert back is not None and back.deactivated_at is None
    unknown = await secretariat.post(
        f"/organisations/{gent.id}/archive", data={"csrf_token": token}
    )
    assert unknown.status_code in (404, 422)


async def test_the_api_keys_page_makes_lists_and_revokes(sign_in: SignIn) -> None:
    secretariat = await sign_in(SECRETARIAT)
    token = await csrf(secretariat)
    made = await secretariat.post("/me/api-keys", data={"label": "Import", "csrf_token": token})
    assert made.status_code == 201
    secret = re.search(r'value="(ovl_[^"]+)"', made.text)
    assert secret, made.text
    script = httpx.AsyncClient(transport=secretariat._transport, base_url="http://test")
    used = await script.get("/api/me", headers={"authorization": f"Bearer {secret.group(1)}"})
    assert used.status_code == 200
    page = await secretariat.get("/me/api-keys")
    assert secret.group(1) not in page.text  # shown once
    assert "Import" in page.text and "nooit" not in page.text  # its last use is listed
    key_id = (await secretariat.get("/api/me/api-keys")).json()[0]["id"]
    revoked = await secretariat.post(f"/me/api-keys/{key_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    assert "ingetrokken" in (await secretariat.get(revoked.headers["location"])).text
    refused = await script.get("/api/me", headers={"authorization": f"Bearer {secret.group(1)}"})
    assert refused.status_code == 401
    blank = await secretariat.post("/me/api-keys", data={"label": " ", "csrf_token": token})
    assert blank.status_code == 422
    await script.aclose()
