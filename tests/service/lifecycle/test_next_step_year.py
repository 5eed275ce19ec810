"""A year of a group at 15-minute steps: the next step times change nothing that is done.

The same group, meetings and changes are played twice, each in a database of its own: once
with the former look-up (every meeting that may have a step due, `due.candidate_ids`) and once
with the indexed one (`due.due_meeting_ids`). Both must queue the same mails with the same
contents at the same instants, write the same audit entries and count the same steps; the
indexed run must look at far fewer meetings.
"""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.agenda import SubmissionCreate
from models.audit import AuditEntry
from models.dates import DatePrecision
from models.memberships import Membership, MembershipRole
from models.notifications import Notification
from models.replies import ReplyAnswer, ReplySource
from service import db, migrate
from service.agenda import calls, review, submissions
from service.audit import Actor
from service.lifecycle import advance, changes, due
from service.meetings import meetings
from service.replies import answers
from service.settings import Settings
from tests.databases import fresh_database
from tests.factories import join, make_group, make_meeting, make_person

START = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)  # a Monday
TICK = timedelta(minutes=15)
SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")
ACTOR = Actor.system("tests")
LookUp = Callable[..., list[int]]


class Group:
    """The ids of what the scenario made, the same in both databases."""

    def __init__(self, session: Session) -> None:
        earlier = START - timedelta(days=30)
        self.group = make_group(session, now=earlier)
        self.people = [make_person(session, now=earlier) for _ in range(6)]
        chair, *members, secretary = self.people
        join(session, person=chair, group=self.group, now=earlier, role=MembershipRole.chair)
        for person in members[:3]:
            join(session, person=person, group=self.group, now=earlier)
        join(
            session,
            person=secretary,
            group=self.group,
            now=earlier,
            role=MembershipRole.secretariat,
        )
        self.newcomer = members[3]
        # Every six weeks on a Tuesday at 10:00 UTC, eight meetings.
        self.meetings = [
            make_meeting(
                session,
                now=earlier,
                group=self.group,
                starts_in=START + timedelta(days=36 + 42 * i, hours=10) - earlier,
            )
            for i in range(8)
        ]
        session.commit()


def _events(group: Group) -> dict[datetime, Callable[[Session, datetime], None]]:
    """The people's changes during the year, each at a tick."""
    m = [meeting.id for meeting in group.meetings]
    _chair, first, second, third, newcomer, _ = group.people

    def joins_later(session: Session, now: datetime) -> None:
        # Joins on a later day: the call and the invitations must reach them that day.
        join(
            session,
            person=newcomer,
            group=group.group,
            now=now,
            joined_on=now.date() + timedelta(days=5),
        )

    def leaves(session: Session, now: datetime) -> None:
        row = session.exec(select(Membership).where(Membership.person_id == third.id)).one()
        row.left_on = now.date() + timedelta(days=3)
        session.add(row)

    def answers_call(person_index: int, meeting_index: int) -> Callable[[Session, datetime], None]:
        def answer(session: Session, now: datetime) -> None:
            assert m[meeting_index] is not None
            call = calls.for_meeting(session, meeting_id=m[meeting_index])
            assert call is not None and call.id is not None, "the call should be open by now"
            person = group.people[person_index]
            submissions.replace_submissions(
                session,
                call_id=call.id,
                person=person,
                actor=Actor.of(person),
                now=now,
                entries=[SubmissionCreate(rank=1, question=f"Vraag van {person.name}")],
            )

        return answer

    def publishes(meeting_index: int) -> Callable[[Session, datetime], None]:
        def publish(session: Session, now: datetime) -> None:
            meeting_id = m[meeting_index]
            assert meeting_id is not None
            review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)

        return publish

    def reschedules(meeting_index: int, by: timedelta) -> Callable[[Session, datetime], None]:
        def reschedule(session: Session, now: datetime) -> None:
            meeting_id = m[meeting_index]
            assert meeting_id is not None
            meeting = meetings.get(session, meeting_id=meeting_id)
            starts = (meeting.starts_at or now) + by
            changes.reschedule(
                session,
                meeting_id=meeting_id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                reason="Zaal niet vrij",
                actor=ACTOR,
                now=now,
            )

        return reschedule

    def postpones(session: Session, now: datetime) -> None:
        assert m[4] is not None
        changes.postpone(
            session,
            meeting_id=m[4],
            period_start=date(2027, 9, 1),
            precision=DatePrecision.month,
            reason="Wachten op het advies",
            actor=ACTOR,
            now=now,
        )

    def gives_a_day(session: Session, now: datetime) -> None:
        assert m[4] is not None
        starts = datetime(2027, 9, 14, 10, 0, tzinfo=UTC)
        changes.reschedule(
            session,
            meeting_id=m[4],
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            reason=None,
            actor=ACTOR,
            now=now,
        )

    def cancels(session: Session, now: datetime) -> None:
        assert m[6] is not None
        changes.cancel(session, meeting_id=m[6], reason="Geen agenda", actor=ACTOR, now=now)

    def replies(session: Session, now: datetime) -> None:
        assert m[3] is not None
        meeting = meetings.get(session, meeting_id=m[3])
        for person, answer in ((first, ReplyAnswer.declined), (second, ReplyAnswer.accepted)):
            answers.record(
                session,
                meeting=meeting,
                person=person,
                answer=answer,
                comment=None,
                sequence=meeting.revision,
                source=ReplySource.web,
                received_at=now,
                message_id=None,
                now=now,
            )

    def day(days: float, hours: float = 0) -> datetime:
        return START + timedelta(days=days, hours=hours, minutes=7)  # between two ticks

    # Meeting i starts on day 36 + 42 i at 10:00 UTC; its call opens 21 days before (09:00
    # Brussels) and closes 7 days before (17:00); invitations 5 days before at the latest.
    return {
        day(16): joins_later,  # on day 21, while the first call is open
        day(20): answers_call(1, 0),
        day(25): answers_call(2, 0),
        day(31, 9): publishes(0),  # its call closed at its deadline (day 29): invitations now
        day(60, 3): answers_call(1, 1),
        day(62): leaves,  # on day 66, while the second call is open
        day(80): reschedules(2, timedelta(days=7)),
        day(157): replies,  # to the fourth meeting, after its invitations
        day(160): postpones,  # the fifth, before its call
        day(200): gives_a_day,  # 14 September
        day(280): cancels,  # the seventh, invited, its call open
        # A late change: a day and a half before the sixth meeting, a day later.
        day(36 + 42 * 5 - 2, 20): reschedules(5, timedelta(days=1)),
    }


def _play(url: str, look_up: LookUp) -> tuple[list[Any], list[Any], Counter[str], int]:
    """The year, with this look-up: the mails, the audit, the steps done, meetings looked at."""
    engine = db.create_engine(url)
    migrate.upgrade(engine)
    steps: Counter[str] = Counter()
    looked_at = 0
    try:
        with Session(engine, expire_on_commit=False) as session:
            group = Group(session)
            events = _events(group)
            pending = sorted(events)
            now = START
            end = START + timedelta(days=365)
            while now <= end:
                while pending and pending[0] <= now:
                    at = pending.pop(0)
                    events[at](session, at)
                    session.commit()
                for meeting_id in look_up(session, now=now, settings=SETTINGS):
                    looked_at += 1
                    report = advance.advance_meeting(
                        session, meeting_id=meeting_id, now=now, settings=SETTINGS
                    )
                    steps.update({k: v for k, v in report.counts().items() if v})
                    session.commit()
                now += TICK
            mails = [
                (n.idempotency_key, n.kind, n.recipient_person_id, n.created_at, n.context)
                for n in session.exec(select(Notification).order_by(col(Notification.id)))
            ]
            audit = [
                (a.at, a.actor_label, a.action, a.entity, a.entity_id, a.before, a.after)
                for a in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
            ]
    finally:
        engine.dispose()
    return mails, audit, steps, looked_at


def test_a_year_with_the_index_does_what_the_former_look_up_did(
    backend: str, tmp_path: Path
) -> None:
    (tmp_path / "former").mkdir()
    (tmp_path / "indexed").mkdir()
    with fresh_database(backend, tmp_path / "former") as url:
        former = _play(url, due.candidate_ids)
    with fresh_database(backend, tmp_path / "indexed") as url:
        indexed = _play(url, due.due_meeting_ids)
    mails, audit, steps, looked_at = indexed
    assert mails == former[0]
    assert audit == former[1]
    assert steps == former[2]
    # Every kind of step happened, so the comparison covers them.
    assert set(steps) >= {"calls_opened", "call_emails", "invitations", "held"}
    assert looked_at < former[3] / 20
