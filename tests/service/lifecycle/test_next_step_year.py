"""A year of a group at 15-minute steps: the next step times change nothing that is done.

The same group, meetings and changes are played twice, each in a database of its own: once
with the former look-up (every meeting that may have a step due, `due.candidate_ids`) and once
with the indexed one (`due.due_meeting_ids`). Both must queue the same mails with the same
contents at the same instants, write the same audit entries and count the same steps; the
indexed run must look at far fewer meetings.
"""

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from models.agenda import SubmissionCreate
from models.audit import AuditEntry
from models.dates import DatePrecision
from models.memberships import Membership, MembershipRole
from models.notifications import Notification
from models.replies import ReplyAnswer, ReplySource
from service import db
from service.agenda import calls, drafts, review, submissions
from service.audit import Actor
from service.lifecycle import advance, changes, due
from service.meetings import meetings
from service.replies import answers
from service.settings import Settings
from tests import factories
from tests.databases import fresh_database
from tests.factories import join, make_group, make_meeting, make_person

START = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)  # a Monday
TICK = timedelta(minutes=15)
SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")
ACTOR = Actor.system("tests")
LookUp = Callable[..., list[int]]


@dataclass(frozen=True)
class Plan:
    """A group's year (or a shorter, faster season): its meetings, settings and span."""

    settings: Settings
    meeting_days: tuple[int, ...]  # days after START, at 10:00 UTC
    days: int
    call_days: tuple[int, int] = (21, 7)  # the call opens, and closes, days before


class Group:
    """The ids of what the scenario made, the same in both databases."""

    def __init__(self, session: Session, plan: Plan) -> None:
        earlier = START - timedelta(days=30)
        self.group = make_group(session, now=earlier)
        self.group.call_opens_days_before, self.group.call_closes_days_before = plan.call_days
        session.add(self.group)
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
        self.meetings = [
            make_meeting(
                session,
                now=earlier,
                group=self.group,
                starts_in=START + timedelta(days=d, hours=10) - earlier,
            )
            for d in plan.meeting_days
        ]
        session.commit()

    def meeting_id(self, index: int) -> int:
        """The id of the scenario's meeting with this index."""
        found = self.meetings[index].id
        assert found is not None
        return found


Event = Callable[[Session, datetime], None]


def joins_later(group: Group, days: int) -> Event:
    """The fifth member joins `days` later (the membership's first day)."""

    def event(session: Session, now: datetime) -> None:
        joined_on = now.date() + timedelta(days=days)
        join(session, person=group.people[4], group=group.group, now=now, joined_on=joined_on)

    return event


def leaves_later(group: Group, days: int) -> Event:
    """The third member leaves `days` later (the membership's last day)."""

    def event(session: Session, now: datetime) -> None:
        row = session.exec(
            select(Membership).where(Membership.person_id == group.people[3].id)
        ).one()
        row.left_on = now.date() + timedelta(days=days)
        session.add(row)

    return event


def answers_call(group: Group, person: int, meeting: int) -> Event:
    """A member sends a question to the meeting's open call."""

    def event(session: Session, now: datetime) -> None:
        call = calls.for_meeting(session, meeting_id=group.meeting_id(meeting))
        assert call is not None and call.id is not None, "the call should be open by now"
        who = group.people[person]
        submissions.replace_submissions(
            session,
            call_id=call.id,
            person=who,
            actor=Actor.of(who),
            now=now,
            entries=[SubmissionCreate(rank=1, question=f"Vraag van {who.name}")],
        )

    return event


def publishes(group: Group, meeting: int) -> Event:
    """The secretariat publishes the draft its call's closing built."""

    def event(session: Session, now: datetime) -> None:
        review.publish(
            session, meeting_id=group.meeting_id(meeting), note=None, actor=ACTOR, now=now
        )

    return event


def reschedules(group: Group, meeting: int, by: timedelta) -> Event:
    """The meeting moves by `by`."""

    def event(session: Session, now: datetime) -> None:
        meeting_id = group.meeting_id(meeting)
        starts = (meetings.get(session, meeting_id=meeting_id).starts_at or now) + by
        changes.reschedule(
            session,
            meeting_id=meeting_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            reason="Zaal niet vrij",
            actor=ACTOR,
            now=now,
        )

    return event


def postpones(group: Group, meeting: int, to: date | None = None) -> Event:
    """The meeting is postponed to a month (by default the month after next)."""

    def event(session: Session, now: datetime) -> None:
        changes.postpone(
            session,
            meeting_id=group.meeting_id(meeting),
            period_start=to or (now + timedelta(days=40)).date().replace(day=1),
            precision=DatePrecision.month,
            reason="Wachten op het advies",
            actor=ACTOR,
            now=now,
        )

    return event


def gives_a_day(group: Group, meeting: int, starts: datetime) -> Event:
    """A postponed meeting is given its day."""

    def event(session: Session, now: datetime) -> None:
        changes.reschedule(
            session,
            meeting_id=group.meeting_id(meeting),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            reason=None,
            actor=ACTOR,
            now=now,
        )

    return event


def cancels(group: Group, meeting: int) -> Event:
    """The meeting is cancelled."""

    def event(session: Session, now: datetime) -> None:
        changes.cancel(
            session,
            meeting_id=group.meeting_id(meeting),
            reason="Geen agenda",
            actor=ACTOR,
            now=now,
        )

    return event


def replies(group: Group, meeting: int) -> Event:
    """One member cannot come, another comes."""

    def event(session: Session, now: datetime) -> None:
        found = meetings.get(session, meeting_id=group.meeting_id(meeting))
        for person, answer in ((1, ReplyAnswer.declined), (2, ReplyAnswer.accepted)):
            answers.record(
                session,
                meeting=found,
                person=group.people[person],
                answer=answer,
                comment=None,
                sequence=found.revision,
                source=ReplySource.link,
                received_at=now,
                message_id=None,
                now=now,
            )

    return event


def day(days: float, hours: float = 0) -> datetime:
    """An instant of the scenario, between two ticks."""
    return START + timedelta(days=days, hours=hours, minutes=7)


YEAR = Plan(settings=SETTINGS, meeting_days=tuple(36 + 42 * i for i in range(8)), days=365)


def year_events(group: Group) -> dict[datetime, Event]:
    """The year: meeting i on day 36 + 42 i; its call opens 21 days before and closes 7
    days before; invitations 5 days before at the latest."""
    return {
        day(16): joins_later(group, 5),  # while the first call is open
        day(20): answers_call(group, 1, 0),
        day(25): answers_call(group, 2, 0),
        day(31, 9): publishes(group, 0),  # its call closed at its deadline (day 29)
        day(60, 3): answers_call(group, 1, 1),
        day(62): leaves_later(group, 3),  # while the second call is open
        day(80): reschedules(group, 2, timedelta(days=7)),
        day(157): replies(group, 3),  # after its invitations
        day(160): postpones(group, 4, date(2027, 9, 1)),  # before its call
        day(200): gives_a_day(group, 4, datetime(2027, 9, 14, 10, 0, tzinfo=UTC)),
        day(280): cancels(group, 6),  # invited, its call open
        # A late change: a day and a half before the sixth meeting, a day later.
        day(36 + 42 * 5 - 2, 20): reschedules(group, 5, timedelta(days=1)),
    }


# Every step's rule, on a shorter clock: a season of three meetings in two weeks.
SEASON = Plan(
    settings=Settings(
        secret_key="k",
        base_url="https://overleg.example",
        call_reminder_days=[1],
        invitation_days_before=1,
        meeting_reminder_days=1,
        absent_organisation_reminder_days=2,
        minutes_reminder_working_days=1,
        materials_deadline_working_days=1,
    ),
    meeting_days=(3, 8, 10),
    days=15,
    call_days=(3, 1),
)


def presents(group: Group, meeting: int) -> Event:
    """A member is made presenter of the first item of the draft agenda."""

    def event(session: Session, now: datetime) -> None:
        version = drafts.draft(session, meeting_id=group.meeting_id(meeting))
        assert version is not None and version.id is not None
        item = drafts.items(session, version_id=version.id)[0]
        item.presenter_id = group.people[1].id
        session.add(item)

    return event


def season_events(group: Group) -> dict[datetime, Event]:
    """Meeting 0 on day 3 (its call open from day 0 to day 2); meeting 1 on day 8, moved,
    changed late (its old start within 48 hours, not invited yet) and cancelled once invited;
    meeting 2 on day 10, postponed before its call and given a day (day 14)."""
    return {
        day(0, 12): joins_later(group, 1),  # while the first call is open
        day(0, 20): answers_call(group, 1, 0),
        day(1, 3): answers_call(group, 2, 0),
        day(1, 5): leaves_later(group, 0),  # at the end of the day
        day(2, 17): presents(group, 0),  # its call closed at 16:00 UTC: a draft
        day(2, 18): publishes(group, 0),
        day(2, 20): replies(group, 0),
        day(4, 2): reschedules(group, 1, timedelta(days=1)),  # day 9
        day(7, 12): reschedules(group, 1, timedelta(days=2)),  # late: day 11
        day(6, 12): postpones(group, 2),  # before its call opens
        day(10, 1): gives_a_day(group, 2, START + timedelta(days=14, hours=10)),
        day(10, 12): cancels(group, 1),  # invited on day 10
    }


def _play(
    url: str, look_up: LookUp, plan: Plan, events_of: Callable[[Group], dict[datetime, Event]]
) -> tuple[list[Any], list[Any], Counter[str], int]:
    """A plan with this look-up: the mails, the audit, the steps done, the meetings looked at."""
    engine = db.create_engine(url)
    # The same names in both plays (the factories number what they make).
    factories._counter = iter(range(1, 1_000_000))
    steps: Counter[str] = Counter()
    looked_at = 0
    try:
        with Session(engine, expire_on_commit=False) as session:
            group = Group(session, plan)
            events = events_of(group)
            pending = sorted(events)
            now = START
            end = START + timedelta(days=plan.days)
            while now <= end:
                while pending and pending[0] <= now:
                    at = pending.pop(0)
                    events[at](session, at)
                    session.commit()
                for meeting_id in look_up(session, now=now, settings=plan.settings):
                    looked_at += 1
                    report = advance.advance_meeting(
                        session, meeting_id=meeting_id, now=now, settings=plan.settings
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


def _compare(
    backend: str,
    schema: str,
    tmp_path: Path,
    plan: Plan,
    events_of: Callable[[Group], dict[datetime, Event]],
) -> tuple[Counter[str], int, int]:
    """Play the plan with both look-ups, each on a copy of the migrated schema, and compare."""
    (tmp_path / "former").mkdir()
    (tmp_path / "indexed").mkdir()
    with fresh_database(backend, tmp_path / "former", template=schema) as url:
        former = _play(url, due.candidate_ids, plan, events_of)
    with fresh_database(backend, tmp_path / "indexed", template=schema) as url:
        indexed = _play(url, due.due_meeting_ids, plan, events_of)
    mails, audit, steps, looked_at = indexed
    assert len(mails) == len(former[0])
    for mine, theirs in zip(mails, former[0], strict=True):
        assert mine == theirs
    assert audit == former[1]
    assert steps == former[2]
    return steps, looked_at, former[3]


# A long simulation (1,440 ticks, twice, 45–80 s a backend): not for the quick loop.
@pytest.mark.slow
def test_a_season_with_the_index_does_what_the_former_look_up_did(
    backend: str, schema_database_template: str, tmp_path: Path
) -> None:
    steps, looked_at, former = _compare(
        backend, schema_database_template, tmp_path, SEASON, season_events
    )
    # Every kind of step happened, so the comparison covers each one's rule.
    assert set(steps) == set(advance.AdvanceReport().counts())
    assert looked_at < former / 10


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("OVERLEG_FULL_YEAR") != "1",
    reason="a whole year at 15-minute steps takes half an hour (OVERLEG_FULL_YEAR=1 runs it)",
)
def test_a_year_with_the_index_does_what_the_former_look_up_did(
    backend: str, schema_database_template: str, tmp_path: Path
) -> None:
    steps, looked_at, former = _compare(
        backend, schema_database_template, tmp_path, YEAR, year_events
    )
    assert set(steps) >= {"calls_opened", "call_emails", "invitations", "held", "cancellations"}
    assert looked_at < former / 20
