"""A chair manages their own group: how it works and who sits in it; not its names, not others."""

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.memberships import Membership
from models.people import Person
from tests.web.conftest import SignIn, csrf

CHAIR = "pieter.claeys@gent.example"  # chair of NIS2, not of GDPR
OUTSIDER = "liesbeth.vanimpe@aalst.example"  # a GDPR member, not in NIS2


def group(db: Engine, slug: str) -> WorkingGroup:
    """A group as stored."""
    with Session(db) as session:
        return session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()


async def test_a_chair_changes_how_their_group_works_but_not_its_names(
    sign_in: SignIn, db: Engine
) -> None:
    chair = await sign_in(CHAIR)
    changed = await chair.patch(
        "/api/groups/nis2", json={"description": "Cyberweerbaarheid", "minutes_review_days": 10}
    )
    assert changed.status_code == 200, changed.text
    assert (group(db, "nis2").description, group(db, "nis2").minutes_review_days) == (
        "Cyberweerbaarheid",
        10,
    )
    for field, value in (("name", "Andere naam"), ("is_public", True), ("kind", "lerend_netwerk")):
        refused = await chair.patch("/api/groups/nis2", json={field: value})
        assert refused.status_code == 422, field
        assert refused.json() == {
            "detail": "Alleen het secretariaat kan deze instelling wijzigen.",
            "field": field,
        }
    assert group(db, "nis2").name != "Andere naam"
    assert (await chair.patch("/api/groups/gdpr", json={"description": "x"})).status_code == 403
    assert (await chair.post("/api/groups/nis2/archive", json={})).status_code == 403


async def test_the_chairs_settings_page_sends_the_names_back_unchanged(
    sign_in: SignIn, db: Engine
) -> None:
    chair = await sign_in(CHAIR)
    page = await chair.get("/groups/nis2/settings")
    assert page.status_code == 200
    assert "De groep archiveren" not in page.text
    assert 'id="short_name"' not in page.text  # shown as hidden fields, not to be edited
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
    texts = dict(re.findall(r'<input id="(\w+)" name="\1" type="\w+" value="([^"]*)"', page.text))
    form = {**fields, **texts, "description": "Nieuwe omschrijving", "default_format": "online"}
    form["preferred_weekday"] = ""
    saved = await chair.post("/groups/nis2/settings", data=form)
    assert saved.status_code == 303, saved.text
    assert group(db, "nis2").description == "Nieuwe omschrijving"
    assert (await chair.get("/groups/gdpr/settings")).status_code == 403


async def test_a_chair_adds_changes_and_ends_memberships_of_their_own_group_only(
    sign_in: SignIn, db: Engine
) -> None:
    chair = await sign_in(CHAIR)
    added = await chair.post(
        "/api/groups/nis2/members",
        json={"email": OUTSIDER, "role": "observer", "joined_on": "2026-01-05"},
    )
    assert added.status_code == 201, added.text
    membership_id = added.json()["id"]
    roster = (await chair.get("/api/groups/nis2/members")).json()
    assert roster[0]["role"] == "chair"
    (line,) = [x for x in roster if x["membership_id"] == membership_id]
    assert (line["name"], line["organisation"], line["role"]) == (
        "Liesbeth Van Impe",
        "aalst",
        "observer",
    )
    changed = await chair.post(
        f"/api/groups/nis2/members/{membership_id}/role",
        json={"role": "member", "on": "2026-01-05"},
    )
    assert (changed.status_code, changed.json()["role"]) == (200, "member")
    ended = await chair.post(
        f"/api/groups/nis2/members/{membership_id}/end", json={"on": "2026-01-06"}
    )
    assert (ended.status_code, ended.json()["left_on"]) == (200, "2026-01-06")

    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == OUTSIDER)).one()
        gdpr = session.exec(
            select(Membership)
            .join(WorkingGroup)
            .where(WorkingGroup.slug == "gdpr", Membership.person_id == person.id)
        ).first()
    assert gdpr is not None
    # A membership of another group is unknown under this group's path, and that path is closed.
    other = await chair.post(f"/api/groups/nis2/members/{gdpr.id}/end", json={"on": "2026-01-06"})
    assert other.status_code == 404
    assert (await chair.get("/api/groups/gdpr/members")).status_code == 403
    token = await csrf(chair)
    page_end = await chair.post(
        f"/groups/nis2/members/{gdpr.id}/end", data={"csrf_token": token, "on": "2026-01-06"}
    )
    assert page_end.status_code == 422  # the page again, with the refusal
    with Session(db) as session:
        again = session.get(Membership, gdpr.id)
        assert again is not None and again.left_on is None


async def test_the_members_page_adds_someone_and_keeps_what_was_typed_on_refusal(
    sign_in: SignIn,
) -> None:
    chair = await sign_in(CHAIR)
    page = await chair.get("/groups/nis2/members")
    assert page.status_code == 200 and "Leden: NIS2" in page.text
    assert "Leden importeren uit een bestand" not in page.text  # the secretariat's
    token = await csrf(chair)
    refused = await chair.post(
        "/groups/nis2/members",
        data={"csrf_token": token, "email": "niemand@nergens.example", "joined_on": "2026-01-05"},
    )
    assert refused.status_code == 422
    assert "Er is geen persoon gekend met dat e-mailadres." in refused.text
    assert 'value="niemand@nergens.example"' in refused.text
    added = await chair.post(
        "/groups/nis2/members",
        data={"csrf_token": token, "email": OUTSIDER, "role": "member", "joined_on": "2026-01-05"},
    )
    assert added.status_code == 303
    assert "Liesbeth Van Impe" in (await chair.get(added.headers["location"])).text
