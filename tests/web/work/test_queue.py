"""The work queue on the start page and at /api/me/work, for each persona."""

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.memberships import MembershipRole
from models.people import Person
from service.directory import memberships
from tests.web.conftest import SignIn
from tests.web.test_authorisation import PERSONAS


async def test_the_secretariat_sees_everything_most_late_first(sign_in: SignIn) -> None:
    secretariat = await sign_in(PERSONAS["secretariat"])
    work = (await secretariat.get("/api/me/work")).json()
    assert work, "the demo organisation has work waiting"
    lateness = [w["late_seconds"] for w in work]
    assert lateness == sorted(lateness, reverse=True)
    for item in work:  # every link opens the page where the work is done
        assert (await secretariat.get(item["url"])).status_code == 200, item
    home = await secretariat.get("/")
    assert "Wat op je wacht" in home.text
    assert all(w["url"].replace("&", "&amp;") in home.text for w in work)


async def test_a_chair_sees_the_same_for_their_groups_and_no_mail(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    with Session(db) as session:
        chair = session.exec(select(Person).where(Person.email == PERSONAS["chair"])).one()
        assert chair.id is not None
        managed = {
            group.slug
            for m in memberships.of_person(session, person_id=chair.id, on=now.date())
            if m.role in (MembershipRole.chair, MembershipRole.secretariat)
            and (group := session.get(WorkingGroup, m.group_id)) is not None
        }
    assert "nis2" in managed
    client = await sign_in(PERSONAS["chair"])
    work = (await client.get("/api/me/work")).json()
    secretariat = await sign_in(PERSONAS["secretariat"])
    everything = (await secretariat.get("/api/me/work")).json()
    assert work == [w for w in everything if w["group"] in managed]
    assert (await client.get("/")).status_code == 200


async def test_members_and_directors_have_no_queue(sign_in: SignIn) -> None:
    for persona in ("member", "director", "observer"):
        client = await sign_in(PERSONAS[persona])
        assert (await client.get("/api/me/work")).json() == []
        assert "Wat op je wacht" not in (await client.get("/")).text
