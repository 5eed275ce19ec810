"""Migrations that rebuild a table keep every row, and every reference to it, intact."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, func, select

from models.agenda import AgendaItemSource, Submission
from service import migrate
from service.agenda import drafts
from service.db import create_engine, session_scope
from tests.factories import ACTOR, make_staffed_meeting
from tests.service.agenda.agenda_helpers import close, open_call, send


def _counts(engine: sa.Engine) -> tuple[int, int]:
    with Session(engine) as session:
        submissions = session.exec(select(func.count()).select_from(Submission)).one()
        sources = session.exec(select(func.count()).select_from(AgendaItemSource)).one()
    return submissions, sources


def test_rebuilding_the_submission_table_keeps_the_agenda_it_fed(
    empty_database_url: str, now: datetime
) -> None:
    engine = create_engine(empty_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        staffed = make_staffed_meeting(session, meeting_at=now + timedelta(days=30))
        call = open_call(session, now=now, meeting=staffed.meeting)
        for person in staffed.members:
            send(session, now=now, call=call, person=person, questions=["Wat is NIS2?", "Logs?"])
        close(session, call)
        assert call.id is not None
        drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=now)
    before = _counts(engine)
    assert before[0] == 8 and before[1] >= 8

    command.downgrade(migrate.alembic_config(engine), "0005")  # the table is rebuilt both ways
    assert migrate.current_revision(engine) == "0005"
    migrate.upgrade(engine)

    assert _counts(engine) == before
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
