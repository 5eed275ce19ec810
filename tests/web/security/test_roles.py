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


SECRETARIAT = "griet.vanhoutte@kcvs.example"
DIRECTOR = "koenraad.despriet@kortrijk.example"
NAMED_REFUSAL = "Alleen mensen van de werkgroep kunnen voor een deliverable aangeduid worden."


async def test_only_people_of_the_group_are_named_for_a_deliverable(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    before = _counts(db)
    for field, value in (
        ("accountable_email", DIRECTOR),  # known, but not in NIS2
        ("accountable_email", "niemand@nergens.example"),  # unknown: the very same answer
        ("contributor_emails", [DIRECTOR]),
    ):
        answer = await client.post(
            "/api/groups/nis2/deliverables",
            json={
                "title": "Nota",
                "due_on": "2027-06-30",
                "accountable_organisation": "antwerpen",
                field: value,
            },
        )
        assert answer.status_code == 422, answer.text
        assert answer.json() == {"detail": NAMED_REFUSAL, "field": "accountable"}
    assert _counts(db) == before
    named = await client.post(
        "/api/groups/nis2/deliverables",
        json={"title": "Nota", "due_on": "2027-06-30", "accountable_email": MEMBER},
    )
    assert named.status_code == 201, named.text
