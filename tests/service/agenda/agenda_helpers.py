"""Calls, members and questions for the agenda tests."""

from datetime import datetime, timedelta

from sqlmodel import Session

from models.agenda import AgendaCall, AgendaCallCreate, CallStatus, Submission, SubmissionCreate
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.organisations import Organisation
from models.people import Person
from service.agenda import calls, submissions
from service.audit import Actor
from tests.factories import ACTOR, join, make_person


def open_call(session: Session, *, now: datetime, meeting: Meeting) -> AgendaCall:
    """A call for a meeting that opened now and closes in a week."""
    assert meeting.id is not None
    call = calls.create_call(
        session,
        meeting_id=meeting.id,
        call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=7)),
        actor=ACTOR,
        now=now,
    )
    call.status = CallStatus.open
    session.add(call)
    session.flush()
    return call


def close(session: Session, call: AgendaCall) -> None:
    """Close a call as the lifecycle does at its deadline."""
    call.status, call.closed_at = CallStatus.closed, call.deadline
    session.add(call)
    session.flush()


def member(
    session: Session, *, now: datetime, group: WorkingGroup, organisation: Organisation
) -> Person:
    """A new member of the group, from an organisation."""
    person = make_person(session, now=now, organisation=organisation)
    join(session, person=person, group=group, now=now)
    return person


def send(
    session: Session, *, now: datetime, call: AgendaCall, person: Person, questions: list[str]
) -> list[Submission]:
    """A member's ranked questions."""
    assert call.id is not None
    return submissions.replace_submissions(
        session,
        call_id=call.id,
        person=person,
        entries=[SubmissionCreate(rank=r, question=t) for r, t in enumerate(questions, start=1)],
        actor=Actor.of(person),
        now=now,
    )
