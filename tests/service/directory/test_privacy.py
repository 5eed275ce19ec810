"""A person's own data: the export holds all of it; erasure leaves none of it behind."""

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from models.access import FeedScope, FeedToken
from models.agenda import Submission
from models.notifications import Notification, NotificationStatus
from models.people import Person
from service import tokens
from service.access import api_keys
from service.directory import privacy
from service.feeds import content, subscriptions
from service.mail import outbox
from service.settings import Settings
from tests.factories import ACTOR, make_member_with_question


def _active_member(session: Session, now: datetime) -> Person:
    person = make_member_with_question(
        session, now=now, question="Wat met NIS2?", name="Hanne Vandersteen"
    )
    outbox.queue(
        session,
        key="test:hanne",
        kind="sign_in",
        recipient=person,
        now=now,
        context={"url": "http://test/sign-in/x"},
    )
    api_keys.create(session, person=person, label="script", actor=ACTOR, now=now)
    return person


def test_export_holds_every_row_that_points_at_the_person(session: Session, now: datetime) -> None:
    person = _active_member(session, now)
    assert person.id is not None
    exported = privacy.export(session, person_id=person.id)
    # Built from the schema independently: every foreign key to person.id, every row matching.
    for table in SQLModel.metadata.sorted_tables:
        columns = [
            c
            for c in table.columns
            if any(fk.target_fullname == "person.id" for fk in c.foreign_keys)
        ]
        if not columns:
            continue
        expected = session.execute(
            sa.select(sa.func.count())
            .select_from(table)
            .where(sa.or_(*(c == person.id for c in columns)))
        ).scalar_one()
        got = [
            r
            for r in exported.get(table.name, [])
            if any(r.get(c.name) == person.id for c in columns)
        ]
        assert len(got) == expected, table.name
    assert exported["person"][0]["email"] == person.email
    assert exported["submission"][0]["question"] == "Wat met NIS2?"
    assert "key_hash" not in json.dumps(exported)
    json.dumps(exported)  # the whole export is JSON


def test_erased_person_appears_nowhere(session: Session, now: datetime) -> None:
    person = _active_member(session, now)
    assert person.id is not None
    name, email = person.name, person.email
    privacy.erase(session, person_id=person.id, actor=ACTOR, now=now)
    session.flush()
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            text = json.dumps([str(v) for v in row], ensure_ascii=False)
            assert name not in text and email not in text, table.name
    submission = session.exec(
        select(Submission).where(Submission.question == "Wat met NIS2?")
    ).one()
    assert submission.person_id is None and submission.organisation_id == person.organisation_id
    outbox = session.exec(
        select(Notification).where(Notification.idempotency_key == "test:hanne")
    ).one()
    assert outbox.status is NotificationStatus.cancelled and outbox.recipient_email is None
    assert person.erased_at == now and person.name.startswith("lid van ")


def test_an_erased_persons_feeds_are_gone(session: Session, now: datetime) -> None:
    person = _active_member(session, now)
    secrets = [
        subscriptions.create(
            session, person=person, scope=scope, scope_id=scope_id, actor=ACTOR, now=now
        ).secret
        for scope, scope_id in (
            (FeedScope.person, None),
            (FeedScope.organisation, person.organisation_id),
        )
    ]
    settings = Settings(base_url="https://overleg.kcvs.example")
    served = content.serve(
        session, token_hash=tokens.digest(secrets[0]), settings=settings, now=now
    )
    assert served is not None and person.name not in served.body.decode("utf-8")
    assert person.id is not None
    privacy.erase(session, person_id=person.id, actor=ACTOR, now=now)
    session.flush()
    for secret in secrets:
        token_hash = tokens.digest(secret)
        assert content.serve(session, token_hash=token_hash, settings=settings, now=now) is None
    assert session.exec(select(FeedToken).where(FeedToken.person_id == person.id)).all() == []


def test_old_submissions_are_anonymised_after_the_retention_period(
    session: Session, now: datetime
) -> None:
    person = _active_member(session, now)
    later = now + timedelta(days=2 * 365 + 1)
    count = privacy.anonymise_old_submissions(session, retention=timedelta(days=730), now=later)
    assert count == 1
    assert session.exec(select(Submission).where(Submission.person_id == person.id)).all() == []
    assert privacy.anonymise_old_submissions(session, retention=timedelta(days=730), now=later) == 0
