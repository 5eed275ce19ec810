"""Fixtures for the use-case tests."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from models.agenda import AgendaCall
from tests.factories import make_group, make_meeting, make_organisation
from tests.service.agenda.agenda_helpers import close, member, open_call, send


@pytest.fixture
def closed_call(session: Session, now: datetime) -> AgendaCall:
    """A closed call for a two-hour meeting with questions from three cities."""
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=14))
    call = open_call(session, now=now, meeting=meeting)
    gent, leuven = make_organisation(session, now=now), make_organisation(session, now=now)
    for person, questions in (
        (
            member(session, now=now, group=group, organisation=gent),
            ["Wat valt onder 'essentiële entiteit'?", "Hoe registreren we op Safeonweb@work?"],
        ),
        (
            member(session, now=now, group=group, organisation=gent),
            ["Welke back-upstrategie tegen ransomware?"],
        ),
        (
            member(session, now=now, group=group, organisation=leuven),
            ["Zijn wij een essentiële of belangrijke entiteit onder NIS2?"],
        ),
    ):
        send(session, now=now, call=call, person=person, questions=questions)
    close(session, call)
    return call
