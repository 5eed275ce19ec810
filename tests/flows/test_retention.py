"""The retention flow, run for real on a Prefect test server against a real database."""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from flows import resources
from flows.retention import anonymise_old_submissions
from models.agenda import AgendaCallCreate, Submission, SubmissionCreate
from service import agenda
from tests.factories import ACTOR, join, make_group, make_meeting, make_person


def _old_submission(now: datetime) -> None:
    with resources.session() as session:
        group = make_group(session, now=now)
        meeting = make_meeting(session, now=now, group=group)
        person = make_person(session, now=now)
        join(session, person=person, group=group, now=now)
        assert meeting.id is not None
        call = agenda.create_call(
            session,
            meeting_id=meeting.id,
            actor=ACTOR,
            now=now,
            call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=7)),
        )
        assert call.id is not None
        agenda.replace_submissions(
            session,
            call_id=call.id,
            person=person,
            actor=ACTOR,
            now=now,
            entries=[SubmissionCreate(rank=1, question="Oude vraag")],
        )


def test_flow_anonymises_once_and_is_idempotent(flow_database: str, now: datetime) -> None:
    _old_submission(now - timedelta(days=3 * 365))
    assert anonymise_old_submissions(now=now) == 1
    assert anonymise_old_submissions(now=now) == 0
    with Session(resources.engine()) as session:
        row = session.exec(select(Submission)).one()
    assert row.person_id is None and row.anonymised_at == now
