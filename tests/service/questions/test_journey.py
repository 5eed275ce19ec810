"""Done means (issue 20): twenty questions from three members, followed to their outcome mail
and back onto the next form."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.agenda import AgendaItemStatus
from models.audit import AuditEntry
from models.notifications import Notification
from models.questions import QuestionFate, QuestionStatus
from service.agenda import drafts, links, member_form
from service.audit import Actor
from service.mail import messages
from service.questions import again, fate, outcomes, telling
from service.settings import Settings
from tests.service.questions import journey

KEY = "test-secret"
SUBJECTS = {
    "nl": "Wat er met je vragen gebeurde",
    "en": "What became of your questions",
    "fr": "Ce que sont devenues vos questions",
}


def _mails(session: Session) -> list[Notification]:
    rows = select(Notification).where(Notification.kind == telling.KIND)
    return list(session.exec(rows.order_by(col(Notification.id))))


def test_twenty_questions_reach_their_askers_and_come_back_on_the_next_form(
    session: Session, now: datetime
) -> None:
    trip = journey.begin(session, now=now)
    items = journey.publish(session, trip)
    sources = drafts.sources(session, item_ids=[i.id for i in items if i.id])
    assert sum(len(v) for v in sources.values()) == 20
    on_agenda = {
        s.id for i in items if i.status is AgendaItemStatus.accepted for s in sources[i.id or 0]
    }
    paths = {p.submission.id: p for p in fate.for_group(session, group_id=trip.meeting.group_id)}
    assert {i for i, p in paths.items() if p.status is QuestionStatus.on_agenda} == on_agenda
    assert {i for i, p in paths.items() if p.status is QuestionStatus.waiting} == (
        set(paths) - on_agenda
    )

    version = journey.start_minutes(session, trip)
    chosen = journey.choices(session, trip)
    assert len(chosen) >= 5  # every kind of outcome is used at least once
    written = outcomes.record(
        session,
        meeting_id=trip.meeting.id or 0,
        choices=chosen,
        actor=Actor.of(trip.secretary),
        now=trip.start + timedelta(days=15),
    )
    assert written == len(on_agenda)
    journey.approve(session, trip, version)

    want = journey.expected(items, sources, chosen)
    assert len(want) == 20
    mails = _mails(session)
    assert sorted(m.recipient_person_id or 0 for m in mails) == sorted(
        p.id or 0 for p in trip.askers
    )
    for person in trip.askers:
        (mail,) = [m for m in mails if m.recipient_person_id == person.id]
        assert mail.language is person.language
        lines = mail.context["questions"]
        assert sorted(q["id"] for q in lines) == sorted(
            s.id or 0 for s in trip.asked[person.id or 0]
        )
        assert {q["id"]: (q["status"], q["reason"]) for q in lines} == {
            s.id: want[s.id or 0] for s in trip.asked[person.id or 0]
        }
        built = messages.build(
            mail, recipient_name=person.name, settings=Settings(), now=trip.start
        )
        body = built.get_payload()[0].get_payload(decode=True).decode()  # type: ignore[index,union-attr]
        assert str(built["Subject"]).startswith(SUBJECTS[person.language.value])
        for s in trip.asked[person.id or 0]:
            assert s.question in body

    # A second run (a crash, a correction approved later) mails nobody twice.
    assert telling.tell(session, meeting=trip.meeting, base_url=journey.BASE_URL, now=now) == 0
    assert len(_mails(session)) == 3

    # The next meeting's form asks "Still relevant?" for exactly what was not handled.
    nxt = journey._call(session, trip.next_meeting, trip.start + timedelta(days=30), most=3)
    resent = 0
    for person in trip.askers:
        form = _form(session, nxt.id or 0, person.id or 0, trip.start + timedelta(days=31))
        back = [p.submission.id or 0 for p in again.still_relevant(session, form=form)]
        resent += len(back)
        assert sorted(back) == sorted(
            s.id or 0
            for s in trip.asked[person.id or 0]
            if want[s.id or 0][0] in ("carried_over", "not_handled")
            and want[s.id or 0][1] != "moved"
        )
        if not back:
            continue
        again.resubmit(session, form=form, submission_id=back[0] or 0, now=form.call.opens_at)
        form = _form(session, nxt.id or 0, person.id or 0, trip.start + timedelta(days=31))
        (sent,) = form.questions
        assert (sent.rank, sent.resubmitted_from_id) == (1, back[0])
        assert [p.submission.id for p in again.still_relevant(session, form=form)] == back[1:]
    assert resent >= 2  # the carried-over and not-handled items had questions behind them


def _form(session: Session, call_id: int, person_id: int, at: datetime) -> member_form.Form:
    token = links.make_token(call_id=call_id, person_id=person_id, key=KEY)
    return member_form.open_form(session, token=token, key=KEY, now=at)


def test_the_path_keeps_every_outcome_with_when_and_who(session: Session, now: datetime) -> None:
    trip = journey.begin(session, now=now)
    items = journey.publish(session, trip)
    journey.start_minutes(session, trip)
    linked = drafts.sources(session, item_ids=[i.id for i in items if i.id])
    (first, *_) = [i for i in items if i.status is AgendaItemStatus.accepted and linked[i.id or 0]]
    at = trip.start + timedelta(days=15)
    for outcome, note, when in (
        (QuestionStatus.not_handled, "Geen tijd.", at),
        (QuestionStatus.answered, "Ja, vóór 18 april.", at + timedelta(hours=1)),
        (QuestionStatus.answered, "Ja, vóór 18 april.", at + timedelta(hours=2)),  # unchanged
    ):
        outcomes.record(
            session,
            meeting_id=trip.meeting.id or 0,
            choices=[outcomes.Choice(first.id or 0, outcome, note)],
            actor=Actor.of(trip.secretary),
            now=when,
        )
    behind = drafts.sources(session, item_ids=[first.id or 0])[first.id or 0]
    (path,) = fate.paths(
        session,
        behind[:1],
        meeting_of_call=fate.meeting_of_calls(session, call_ids=[behind[0].call_id]),
    )
    assert [(s.status, s.at, s.by_id, s.note) for s in path.steps] == [
        (QuestionStatus.waiting, behind[0].submitted_at, behind[0].person_id, None),
        (QuestionStatus.on_agenda, trip.start + timedelta(days=8), trip.secretary.id, None),
        (QuestionStatus.not_handled, at, trip.secretary.id, "Geen tijd."),
        (QuestionStatus.answered, at + timedelta(hours=1), trip.secretary.id, "Ja, vóór 18 april."),
    ]
    assert path.steps[1].item_title == first.title
    rows = session.exec(select(QuestionFate).where(QuestionFate.submission_id == behind[0].id))
    assert [r.asker_id for r in rows] == [behind[0].person_id] * 2
    audited = session.exec(
        select(AuditEntry).where(
            AuditEntry.entity == "question_fate", AuditEntry.actor_id == trip.secretary.id
        )
    ).all()
    assert len(audited) == 2 * len(behind)  # the unchanged third save wrote nothing
