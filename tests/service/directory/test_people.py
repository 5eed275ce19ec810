"""People and their organisations."""

from datetime import datetime

import pytest
from sqlmodel import Session

from models.errors import DomainError
from models.people import PersonCreate
from service.directory import people
from tests.conftest import table_counts
from tests.factories import ACTOR, make_organisation, make_person


def test_unknown_organisation_is_refused(session: Session, now: datetime) -> None:
    counts = table_counts(session)
    with pytest.raises(DomainError, match="Unknown organisation: stad-nergens"):
        people.create(
            session,
            person_in=PersonCreate(
                name="An Onbekend", email="an@nergens.example", organisation="stad-nergens"
            ),
            actor=ACTOR,
            now=now,
        )
    assert table_counts(session) == counts


def test_addresses_are_stored_in_lower_case_and_unique(session: Session, now: datetime) -> None:
    organisation = make_organisation(session, now=now)
    person = people.create(
        session,
        person_in=PersonCreate(
            name="Els Peeters", email="Els.Peeters@Gent.example", organisation=organisation.slug
        ),
        actor=ACTOR,
        now=now,
    )
    assert person.email == "els.peeters@gent.example"
    assert people.find_by_email(session, email=" ELS.PEETERS@gent.example ") == person
    with pytest.raises(DomainError, match="already exists"):
        people.create(
            session,
            person_in=PersonCreate(
                name="Els Peeters", email="els.peeters@gent.example", organisation=organisation.slug
            ),
            actor=ACTOR,
            now=now,
        )


def test_refusal_does_not_echo_the_address(session: Session, now: datetime) -> None:
    make_person(session, now=now)
    with pytest.raises(DomainError) as refused:
        people.get_by_email(session, email="geheim@test.example")
    assert "geheim" not in str(refused.value)
