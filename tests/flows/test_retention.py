"""The retention flow, run for real on a Prefect test server against a real database."""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from flows import resources
from flows.retention import anonymise_old_submissions
from models.agenda import Submission
from tests.factories import make_member_with_question


def _old_submission(now: datetime) -> None:
    with resources.session() as session:
        make_member_with_question(session, now=now, question="Oude vraag")


def test_flow_anonymises_once_and_is_idempotent(flow_database: str, now: datetime) -> None:
    _old_submission(now - timedelta(days=3 * 365))
    assert anonymise_old_submissions(now=now) == 1
    assert anonymise_old_submissions(now=now) == 0
    with Session(resources.engine()) as session:
        row = session.exec(select(Submission)).one()
    assert row.person_id is None and row.anonymised_at == now
