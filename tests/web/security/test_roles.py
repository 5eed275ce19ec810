"""Roles: a member who became an observer can no longer send questions with their old link."""

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.memberships import Membership, MembershipRole
from models.people import Person
from tests.web.agenda.test_form_pages import MEMBER, _counts, _links, _open_call
from tests.web.conftest import SignIn, client_for

REFUSAL = "Alleen de leden en voorzitters van de werkgroep sturen vragen voor de agenda."


def _make_observer(db: Engine, email: str, slug: str) -> None:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        membership = session.exec(
            select(Membership).where(
                Membership.person_id == person.id, Membership.group_id == group.id
            )
        ).one()
        membership.role = MembershipRole.observer
        session.add(membership)
        session.commit()


async def test_an_observers_old_form_link_cannot_send_questions(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    _make_observer(db, MEMBER, "nis2")
    before = _counts(db)
    async with client_for(app) as client:
        page = await client.get(path)
        assert page.status_code == 403 and REFUSAL in page.text
        sent = await client.put("/api" + path, json={"questions": [{"question": "Nog mee?"}]})
        assert sent.status_code == 403 and sent.json()["detail"] == REFUSAL
    assert _counts(db) == before
