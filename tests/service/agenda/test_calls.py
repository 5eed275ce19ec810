"""Calls for input: their window, opening with personal links, reminders, closing, extending.

The meeting of these tests is on Tuesday 10 March 2026, 14:00 Brussels time; with the group's
defaults its call opens on Tuesday 17 February at 09:00 and closes on Tuesday 3 March at 17:00.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select

from models.agenda import AgendaCall, CallStatus, Submission, SubmissionCreate, SubmissionStatus
from models.errors import DomainError
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.notifications import Notification
from models.people import Person
from service.agenda import calls, drafts, links, submissions
from service.agenda.calls import CallPolicy
from service.audit import Actor
from service.i18n import error_message
from service.lifecycle import advance, changes
from service.mail import links as mail_links
from service.settings import Settings
from tests.conftest import table_counts
from tests.factories import (
    ACTOR,
    StaffedMeeting,
    join,
    make_meeting,
    make_person,
    make_staffed_meeting,
)

MEETING_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
OPENS = datetime(2026, 2, 17, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
KEY = "test-secret"
SETTINGS = Settings(secret_key=KEY, base_url="https://overleg.example")
POLICY = CallPolicy.of(SETTINGS)


def _group(session: Session) -> StaffedMeeting:
    return make_staffed_meeting(session, meeting_at=MEETING_AT)


def _advance(session: Session, now: datetime) -> advance.AdvanceReport:
    return advance.advance(session, now=now, settings=SETTINGS)


def _mails(session: Session, kind: str) -> list[Notification]:
    return list(
        session.exec(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)  # type: ignore[arg-type]
        )
    )


def _call(session: Session, meeting: Meeting) -> AgendaCall:
    assert meeting.id is not None
    call = calls.for_meeting(session, meeting_id=meeting.id)
    assert call is not None
    return call


def _submit(session: Session, call: AgendaCall, person: Person, now: datetime) -> None:
    assert call.id is not None
    submissions.replace_submissions(
        session,
        call_id=call.id,
        person=person,
        entries=[SubmissionCreate(rank=1, question=f"Vraag van {person.name}")],
        actor=Actor.of(person),
        now=now,
    )


def test_window_follows_the_group_settings_in_brussels_time(session: Session) -> None:
    setup = _group(session)
    call = calls.ensure(session, meeting=setup.meeting, actor=ACTOR, now=OPENS)
    assert (call.opens_at, call.deadline, call.status) == (OPENS, DEADLINE, CallStatus.draft)


def test_deadline_on_the_meeting_day_stays_an_hour_before_it(session: Session) -> None:
    setup = _group(session)
    row = session.get(WorkingGroup, setup.meeting.group_id)
    assert row is not None
    row.call_closes_days_before = 0
    _, deadline = calls.window(setup.meeting, row)
    assert deadline == MEETING_AT - timedelta(hours=1)


def test_opening_emails_each_member_and_chair_their_own_link_once(session: Session) -> None:
    setup = _group(session)
    assert _advance(session, OPENS - timedelta(minutes=1)).call_emails == 0
    report = _advance(session, OPENS)
    assert (len(report.calls_opened), report.call_emails) == (1, 4)
    assert _advance(session, OPENS + timedelta(minutes=15)).call_emails == 0
    mails = _mails(session, "agenda_call_open")
    assert {m.recipient_person_id for m in mails} == {p.id for p in setup.members}
    call = _call(session, setup.meeting)
    assert call.status is CallStatus.open and call.opened_at == OPENS
    for mail in mails:
        url = mail_links.url(mail.context["link"], key=KEY, base_url="https://overleg.example")
        token = urlsplit(url).path.removeprefix(links.PATH_PREFIX)
        grant = links.read_token(token, key=KEY)
        assert grant == links.FormGrant(
            call_id=call.id or 0, person_id=mail.recipient_person_id or 0
        )
        assert mail.context["deadline_at"] == DEADLINE.isoformat()


def test_a_member_who_joins_while_the_call_is_open_gets_a_link_too(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    newcomer = make_person(session, now=OPENS)
    group = session.get(WorkingGroup, setup.meeting.group_id)
    assert group is not None
    join(session, person=newcomer, group=group, now=OPENS, joined_on=OPENS.date())
    assert _advance(session, OPENS + timedelta(days=1)).call_emails == 1


def test_reminders_go_to_those_who_sent_nothing_once_per_stage(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    _submit(session, call, setup.members[1], OPENS + timedelta(days=1))
    three_days = DEADLINE - timedelta(days=3)
    assert _advance(session, three_days - timedelta(minutes=1)).call_reminders == 0
    assert _advance(session, three_days).call_reminders == 3
    assert _advance(session, three_days + timedelta(hours=1)).call_reminders == 0
    _submit(session, call, setup.members[2], three_days + timedelta(hours=2))
    assert _advance(session, DEADLINE - timedelta(days=1)).call_reminders == 2
    reminded = [m.recipient_person_id for m in _mails(session, "agenda_call_reminder")]
    assert setup.members[1].id not in reminded
    assert reminded.count(setup.members[0].id) == 2


def test_a_late_run_sends_only_the_latest_reminder(session: Session) -> None:
    _group(session)
    _advance(session, OPENS)
    assert _advance(session, DEADLINE - timedelta(hours=20)).call_reminders == 4
    keys = {m.idempotency_key.split(":")[3] for m in _mails(session, "agenda_call_reminder")}
    assert keys == {"T-1d"}


def test_the_call_closes_at_its_deadline_and_not_before(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    assert _advance(session, DEADLINE - timedelta(minutes=1)).calls_closed == []
    call = _call(session, setup.meeting)
    assert _advance(session, DEADLINE).calls_closed == [call.id]
    assert _advance(session, DEADLINE + timedelta(minutes=15)).calls_closed == []
    session.refresh(call)
    assert (call.status, call.closed_at) == (CallStatus.closed, DEADLINE)
    assert _advance(session, DEADLINE + timedelta(days=1)).call_reminders == 0
    # The draft agenda is built in the same step; the chair and the secretary are told.
    assert setup.meeting.id is not None
    draft = drafts.draft(session, meeting_id=setup.meeting.id)
    assert draft is not None and draft.created_at == DEADLINE
    told = {m.recipient_person_id for m in _mails(session, "agenda_draft_ready")}
    assert told == {setup.members[0].id, setup.secretary.id}


def test_the_call_closes_early_once_everyone_answered(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    for person in setup.members:
        _submit(session, call, person, OPENS + timedelta(days=2))
    assert calls.pending_people(session, call=call, on=OPENS.date()) == []
    assert _advance(session, OPENS + timedelta(days=2)).calls_closed == [call.id]


def test_extending_moves_the_deadline_and_the_reminders(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    assert call.id is not None
    _advance(session, DEADLINE - timedelta(days=1))  # the T-1 reminders for the old deadline
    later = DEADLINE + timedelta(days=3)
    calls.extend(session, call_id=call.id, deadline=later, actor=ACTOR, now=DEADLINE)
    assert _advance(session, DEADLINE + timedelta(hours=1)).calls_closed == []
    assert _advance(session, later - timedelta(days=1)).call_reminders == 4
    assert _advance(session, later).calls_closed == [call.id]


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (timedelta(days=-1), "De nieuwe deadline moet in de toekomst liggen."),
        (timedelta(days=30), "De deadline moet voor het begin van de vergadering liggen."),
    ],
)
def test_a_bad_extension_is_refused_and_changes_nothing(
    session: Session, shift: timedelta, message: str
) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    assert call.id is not None
    before = table_counts(session)
    now = OPENS + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        calls.extend(session, call_id=call.id, deadline=now + shift, actor=ACTOR, now=now)
    assert error_message(refused.value) == message
    assert table_counts(session) == before
    session.refresh(call)
    assert call.deadline == DEADLINE


def test_a_closed_call_cannot_be_opened_or_extended(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    _advance(session, DEADLINE)
    call = _call(session, setup.meeting)
    assert call.id is not None
    for attempt in (
        lambda: calls.open_call(
            session, call_id=call.id or 0, policy=POLICY, actor=ACTOR, now=DEADLINE
        ),
        lambda: calls.extend(
            session, call_id=call.id or 0, deadline=MEETING_AT, actor=ACTOR, now=DEADLINE
        ),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert error_message(refused.value) == "Deze oproep voor agendapunten is al afgesloten."


def test_the_call_follows_a_rescheduled_meeting(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    assert setup.meeting.id is not None
    week_later = MEETING_AT + timedelta(days=7)
    changes.reschedule(
        session,
        meeting_id=setup.meeting.id,
        starts_at=week_later,
        ends_at=week_later + timedelta(hours=2),
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=OPENS + timedelta(days=1),
    )
    call = _call(session, setup.meeting)
    assert call.deadline == DEADLINE + timedelta(days=7)
    assert call.status is CallStatus.open
    assert _advance(session, DEADLINE).calls_closed == []


def test_cancelling_closes_the_call_and_moves_questions_to_the_next_meeting(
    session: Session,
) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    _submit(session, call, setup.members[1], OPENS)
    group = session.get(WorkingGroup, setup.meeting.group_id)
    assert group is not None and setup.meeting.id is not None
    following = make_meeting(session, now=OPENS, group=group, starts_in=timedelta(days=60))
    changes.cancel(
        session,
        meeting_id=setup.meeting.id,
        reason="Te weinig agendapunten",
        actor=ACTOR,
        now=OPENS + timedelta(days=1),
    )
    session.refresh(call)
    assert call.status is CallStatus.closed
    question = session.exec(select(Submission).where(Submission.call_id == call.id)).one()
    assert question.status is SubmissionStatus.parked
    assert question.parked_for_meeting_id == following.id


def test_the_secretariat_sets_guidance_and_the_number_of_questions(
    session: Session, now: datetime
) -> None:
    staffed = make_staffed_meeting(session, meeting_at=now + timedelta(days=30))
    call = calls.ensure(session, meeting=staffed.meeting, actor=ACTOR, now=now)
    assert call.id is not None
    calls.configure(
        session,
        call_id=call.id,
        guidance="  Denk aan de registratie bij het CCB.  ",
        max_questions=5,
        actor=ACTOR,
        now=now,
    )
    assert (call.guidance, call.max_questions) == ("Denk aan de registratie bij het CCB.", 5)
    policy = calls.CallPolicy(secret_key="k", base_url="https://overleg.example", reminder_days=())
    calls.open_call(session, call_id=call.id, policy=policy, actor=ACTOR, now=now)
    mail = session.exec(select(Notification).where(Notification.kind == "agenda_call_open")).first()
    assert mail is not None
    assert (mail.context["guidance"], mail.context["max_questions"]) == (
        "Denk aan de registratie bij het CCB.",
        5,
    )

    submissions.replace_submissions(
        session,
        call_id=call.id,
        person=staffed.members[1],
        entries=[SubmissionCreate(rank=r, question=f"Vraag {r}?") for r in range(1, 5)],
        actor=ACTOR,
        now=now,
    )
    before = table_counts(session)
    for guidance, most, message in (
        (None, 3, "already sent 4 questions"),
        (None, 11, "between 1 and 10"),
        ("x" * 4001, 5, "at most 4000"),
    ):
        with pytest.raises(DomainError, match=message):
            calls.configure(
                session,
                call_id=call.id,
                guidance=guidance,
                max_questions=most,
                actor=ACTOR,
                now=now,
            )
    assert table_counts(session) == before
    calls.configure(session, call_id=call.id, guidance=None, max_questions=4, actor=ACTOR, now=now)
    assert (call.guidance, call.max_questions) == (None, 4)


def test_a_deadline_before_the_scheduled_opening_of_a_draft_call_is_refused(
    session: Session,
) -> None:
    setup = _group(session)
    call = calls.ensure(session, meeting=setup.meeting, actor=ACTOR, now=OPENS)
    assert call.id is not None
    now = OPENS - timedelta(days=10)
    with pytest.raises(DomainError) as refused:
        calls.extend(
            session, call_id=call.id, deadline=OPENS - timedelta(days=1), actor=ACTOR, now=now
        )
    assert error_message(refused.value) == (
        "De deadline moet na de opening van de oproep liggen; open de oproep nu om ze een "
        "vroegere deadline te geven."
    )
    session.refresh(call)
    assert (call.opens_at, call.deadline) == (OPENS, DEADLINE)


def test_a_call_opened_early_takes_its_opening_along_when_the_deadline_comes_before_it(
    session: Session,
) -> None:
    setup = _group(session)
    call = calls.ensure(session, meeting=setup.meeting, actor=ACTOR, now=OPENS)
    assert call.id is not None
    now = OPENS - timedelta(days=10)
    calls.open_call(session, call_id=call.id, policy=POLICY, actor=ACTOR, now=now)
    shorter = OPENS - timedelta(days=1)
    calls.extend(session, call_id=call.id, deadline=shorter, actor=ACTOR, now=now)
    session.refresh(call)
    assert (call.opens_at, call.deadline, call.status) == (now, shorter, CallStatus.open)


def test_moving_the_deadline_tells_the_members_who_were_asked(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    call = _call(session, setup.meeting)
    assert call.id is not None
    later = DEADLINE + timedelta(days=2)
    calls.extend(session, call_id=call.id, deadline=later, actor=ACTOR, now=OPENS)
    calls.extend(session, call_id=call.id, deadline=later, actor=ACTOR, now=OPENS)  # no news
    told = _mails(session, "agenda_call_deadline_moved")
    assert {m.recipient_person_id for m in told} == {p.id for p in setup.members}
    assert len(told) == len(setup.members)
    assert {m.context["deadline_at"] for m in told} == {later.isoformat()}
    assert {m.context["previous_deadline_at"] for m in told} == {DEADLINE.isoformat()}


def test_a_rescheduled_meeting_tells_the_members_their_call_moved_too(session: Session) -> None:
    setup = _group(session)
    _advance(session, OPENS)
    assert setup.meeting.id is not None
    earlier = MEETING_AT - timedelta(days=1)
    changes.reschedule(
        session,
        meeting_id=setup.meeting.id,
        starts_at=earlier,
        ends_at=earlier + timedelta(hours=2),
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=OPENS + timedelta(days=1),
    )
    call = _call(session, setup.meeting)
    assert call.deadline == DEADLINE - timedelta(days=1)
    told = _mails(session, "agenda_call_deadline_moved")
    assert {m.recipient_person_id for m in told} == {p.id for p in setup.members}
    assert {m.context["deadline_at"] for m in told} == {call.deadline.isoformat()}


def test_a_draft_call_whose_deadline_moves_mails_nobody(session: Session) -> None:
    setup = _group(session)
    call = calls.ensure(session, meeting=setup.meeting, actor=ACTOR, now=OPENS)
    assert call.id is not None
    now = OPENS - timedelta(days=3)
    calls.extend(
        session, call_id=call.id, deadline=DEADLINE + timedelta(days=1), actor=ACTOR, now=now
    )
    assert _mails(session, "agenda_call_deadline_moved") == []
