"""Migrations that rebuild a table keep every row, and every reference to it, intact."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from babel.dates import format_date
from sqlmodel import Session, func, select

from models.agenda import AgendaItemSource, Submission
from models.groups import GroupKind, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate
from service import migrate
from service.agenda import drafts
from service.db import create_engine, session_scope
from service.directory import groups
from service.meetings import meetings, planning
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


def test_stored_links_leave_the_outbox(empty_database_url: str, now: datetime) -> None:
    engine = create_engine(empty_database_url)
    migrate.upgrade(engine, "0008")  # the revision before 0101, which cleans the outbox
    table = sa.table(
        "notification",
        sa.column("idempotency_key", sa.String),
        sa.column("kind", sa.String),
        sa.column("context", sa.JSON),
        sa.column("status", sa.String),
        sa.column("language", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("next_attempt_at", sa.DateTime(timezone=True)),
    )
    base = {"language": "nl", "attempts": 0, "created_at": now, "next_attempt_at": now}
    rows = [
        ("sign-in:1", "sign_in", "https://o.example/sign-in/abc.def", "pending"),
        ("sign-in:2", "sign_in", "https://o.example/sign-in/ghi.jkl", "sent"),
        (
            "agenda-call-open:call-7:person-12",
            "agenda_call_open",
            "https://o.example/input/x.y",
            "pending",
        ),
        ("minutes:3", "minutes_review", "https://o.example/groups/a/meetings/3/minutes", "sent"),
    ]
    with engine.begin() as connection:
        for key, kind, url, status in rows:
            connection.execute(
                sa.insert(table).values(
                    idempotency_key=key, kind=kind, status=status, context={"url": url}, **base
                )
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        found = {
            key: (context, status)
            for key, context, status in connection.execute(
                sa.select(table.c.idempotency_key, table.c.context, table.c.status)
            )
        }
    assert found["sign-in:1"] == ({}, "cancelled")
    assert found["sign-in:2"] == ({}, "sent")
    assert found["agenda-call-open:call-7:person-12"] == (
        {"link": {"kind": "form", "call_id": 7, "person_id": 12}},
        "pending",
    )
    assert found["minutes:3"] == (
        {"url": "https://o.example/groups/a/meetings/3/minutes"},
        "sent",
    )
    engine.dispose()


def test_planned_titles_lose_their_date_and_other_titles_stay(
    empty_database_url: str, now: datetime
) -> None:
    engine = create_engine(empty_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        group = groups.create(
            session,
            actor=ACTOR,
            now=now,
            group_in=WorkingGroupCreate(
                slug="gdpr",
                short_name="GDPR",
                name="Werkgroep GDPR",
                kind=GroupKind.werkgroep,
                meetings_per_year=3,
                preferred_weekday=1,
            ),
        )
        planned = planning.plan_year(
            session, group_slug=group.slug, year=now.year + 1, actor=ACTOR, now=now
        )
        first, second, third = planned
        assert first.occurrence_date and second.occurrence_date and third.occurrence_date
        assert first.starts_at is not None and first.ends_at is not None
        # As planning wrote them before: the Dutch day of the occurrence after the short name.
        first.title = f"GDPR – {first.occurrence_date.day} {_nl_month(first.occurrence_date)} "
        first.title += str(first.occurrence_date.year)
        second.title = "GDPR – extra overleg Copilot"  # renamed by hand: kept
        third.title = f"GDPR – 1 januari {third.occurrence_date.year}"  # not its day: kept
        loose = meetings.schedule(
            session,
            actor=ACTOR,
            now=now,
            meeting_in=MeetingCreate(
                group=group.slug,
                title=first.title,  # the same text on a meeting outside the series: kept
                starts_at=first.starts_at + timedelta(days=1),
                ends_at=first.ends_at + timedelta(days=1),
            ),
        )
        session.add_all([first, second, third])
        ids = [m.id for m in (first, second, third, loose)]
        old_first = first.title
    command.downgrade(migrate.alembic_config(engine), "0108")
    migrate.upgrade(engine)
    with Session(engine) as session:
        titles = [session.get_one(Meeting, i).title for i in ids]
    assert titles == [
        "GDPR",
        "GDPR – extra overleg Copilot",
        f"GDPR – 1 januari {now.year + 1}",
        old_first,
    ]
    engine.dispose()


def _nl_month(day: date) -> str:
    return format_date(day, "MMMM", locale="nl_BE")
