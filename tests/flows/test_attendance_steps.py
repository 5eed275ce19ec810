"""On a simulated clock, through the advance flow and real SMTP delivery: the reminder to
organisations no one comes for, the reminder before the meeting, the sheet started from the
answers, and the change mailed to members whose calendar feed is stale; mails in nl, en, fr."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlmodel import Session, col, select

from flows import resources
from flows.advance import advance_meetings
from flows.deliver import deliver_notifications
from models.access import FeedScope
from models.meetings import Attendance, AttendanceStatus
from models.people import Language, Person
from models.replies import AnswerChoice
from service import tokens
from service.audit import Actor
from service.feeds import content, subscriptions
from service.lifecycle import changes, stale_feeds
from service.mail import links
from service.replies import answering
from service.replies.answering import StandInTyped
from tests.factories import ACTOR, join, make_group, make_meeting, make_organisation, make_person
from tests.smtp import SmtpServer, running_smtp_server

EARLIER = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
STARTS = EARLIER + timedelta(days=30)  # Wednesday 3 February 2027, 09:00 in Brussels


@pytest.fixture
def smtp(flow_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        monkeypatch.setenv("OVERLEG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OVERLEG_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OVERLEG_SMTP_STARTTLS", "false")
        resources.reset()
        yield server


@dataclass(frozen=True)
class Group:
    """A meeting, and its members by a short name: Gent (nl), Leuven (nl, en), Namur (fr)."""

    meeting_id: int
    people: dict[str, int]


def _group() -> Group:
    with Session(resources.engine()) as session:
        group = make_group(session, now=EARLIER)
        gent = make_organisation(session, now=EARLIER, name="Stad Gent")
        leuven = make_organisation(session, now=EARLIER, name="Stad Leuven")
        namur = make_organisation(session, now=EARLIER, name="Ville de Namur")
        found = {}
        for short, organisation, language in (
            ("an", gent, Language.nl),
            ("bert", leuven, Language.nl),
            ("bea", leuven, Language.en),
            ("claire", namur, Language.fr),
        ):
            person = make_person(session, now=EARLIER, organisation=organisation, name=short)
            person.language = language
            join(session, person=person, group=group, now=EARLIER)
            found[short] = person.id or 0
        meeting = make_meeting(session, now=EARLIER, group=group, starts_in=STARTS - EARLIER)
        session.commit()
        assert meeting.id is not None
        return Group(meeting.id, found)


def _answer(
    group: Group, who: str, choice: AnswerChoice, at: datetime, name: str = "", email: str = ""
) -> None:
    """Answer through the person's link, as the answer page does."""
    settings = resources.settings()
    token = links.answer_token(
        meeting_id=group.meeting_id, person_id=group.people[who], key=settings.resolved_secret_key()
    )
    with Session(resources.engine()) as session:
        ballot = answering.open_ballot(
            session, token=token, key=settings.resolved_secret_key(), now=at
        )
        answering.record_answer(
            session,
            ballot=ballot,
            choice=choice,
            stand_in=StandInTyped(name=name, email=email),
            settings=settings,
            now=at,
        )
        session.commit()


def _run(now: datetime) -> dict[str, int]:
    """Advance and deliver at `now`; then again, which must do nothing."""
    done = advance_meetings(now=now)
    sent = deliver_notifications(now=now)["sent"]
    again = advance_meetings(now=now)
    assert not any(again.values()), again
    assert deliver_notifications(now=now)["sent"] == 0
    return {**done, "sent": sent}


def _to(message: EmailMessage) -> str:
    return str(message["To"]).split("<")[-1].rstrip(">")


def _email(person_id: int) -> str:
    with Session(resources.engine()) as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person.email


def _mails(smtp: SmtpServer, starting: str) -> dict[str, EmailMessage]:
    """The delivered messages whose subject starts so, by recipient address."""
    return {_to(m): m for m in smtp.handler.messages() if str(m["Subject"]).startswith(starting)}


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def test_organisations_no_one_comes_for_are_reminded_once(smtp: SmtpServer) -> None:
    group = _group()
    _answer(group, "an", AnswerChoice.in_person, EARLIER + timedelta(days=1))
    assert _run(STARTS - timedelta(days=7, minutes=1))["absent_reminders"] == 0
    step = _run(STARTS - timedelta(days=7))
    assert step["absent_reminders"] == 3  # Leuven's two members and Namur's; Gent comes
    subjects = {
        _to(m): str(m["Subject"])
        for m in smtp.handler.messages()
        if str(m["Subject"]).startswith(("Nog niemand", "No one", "Personne"))
    }
    assert subjects == {
        _email(group.people["bert"]): "Nog niemand van Stad Leuven komt: Vergadering,"
        " woensdag 3 februari 2027, 09:00",
        _email(group.people["bea"]): "No one from Stad Leuven comes yet: Vergadering,"
        " Wednesday 3 February 2027, 09:00",
        _email(group.people["claire"]): "Personne de Ville de Namur ne vient encore :"
        " Vergadering, mercredi 3 février 2027, 09:00",
    }
    claire = _mails(smtp, "Personne de")[_email(group.people["claire"])]
    assert "J'envoie un remplaçant: http://127.0.0.1:8000/answer/" in _text(claire)
    # Once: Namur still has no one coming a day later, and no one is reminded again.
    _answer(group, "claire", AnswerChoice.declined, STARTS - timedelta(days=6, hours=1))
    assert _run(STARTS - timedelta(days=6))["absent_reminders"] == 0


def test_the_reminder_before_the_meeting_and_the_sheet_from_the_answers(
    smtp: SmtpServer,
) -> None:
    group = _group()
    _answer(group, "an", AnswerChoice.online, EARLIER + timedelta(days=1))
    _answer(group, "bert", AnswerChoice.in_person, EARLIER + timedelta(days=2))
    _answer(group, "bert", AnswerChoice.declined, EARLIER + timedelta(days=3))  # the last counts
    _answer(
        group,
        "claire",
        AnswerChoice.stand_in,
        EARLIER + timedelta(days=4),
        name="Denise Collin",
        email="denise.collin@namur.example",
    )
    assert _run(STARTS - timedelta(days=2, minutes=1))["meeting_reminders"] == 0
    step = _run(STARTS - timedelta(days=2))
    # An, Bea (no answer) and Denise, who stands in for Claire; Bert and Claire declined.
    assert step["meeting_reminders"] == 3
    reminders = {
        _to(m): m
        for m in smtp.handler.messages()
        if str(m["Subject"]).startswith(("Herinnering", "Reminder", "Rappel"))
    }
    an, bea = _email(group.people["an"]), _email(group.people["bea"])
    denise = "denise.collin@namur.example"
    assert {k: str(m["Subject"]) for k, m in reminders.items()} == {
        an: "Herinnering: Vergadering, woensdag 3 februari 2027, 09:00",
        bea: "Reminder: Vergadering, Wednesday 3 February 2027, 09:00",
        denise: "Rappel : Vergadering, mercredi 3 février 2027, 09:00",
    }
    assert "De agenda is nog niet gepubliceerd." in _text(reminders[an])
    assert "- I come (online): http://127.0.0.1:8000/answer/" in _text(reminders[bea])
    assert "/answer/" not in _text(reminders[denise])  # a stand-in answers for no one
    assert "mercredi 3 février 2027, 09:00 à 11:00" in _text(reminders[denise])
    # Everyone, stand-in included, gets the way to the materials and the meeting pack.
    materials = f"/meetings/{group.meeting_id}/materials"
    assert all(materials in _text(message) for message in reminders.values())
    assert "Le matériel de l'ordre du jour et le dossier de la réunion" in _text(reminders[denise])
    # Members are pointed at the meeting's page; the stand-in may open only its materials.
    page = f"/meetings/{group.meeting_id}"
    assert f"{page}\n" in _text(reminders[an])
    assert f"{page}\n" not in _text(reminders[denise])

    # The meeting starts: the sheet starts from the answers that count.
    step = _run(STARTS + timedelta(minutes=5))
    assert step["attendance_prefilled"] == 4
    with Session(resources.engine()) as session:
        rows = session.exec(
            select(Attendance)
            .where(Attendance.meeting_id == group.meeting_id)
            .order_by(col(Attendance.person_id))
        ).all()
        denise_id = session.exec(select(Person.id).where(Person.email == denise)).one()
    assert {row.person_id: row.status for row in rows} == {
        group.people["an"]: AttendanceStatus.present,
        group.people["bert"]: AttendanceStatus.excused,
        group.people["claire"]: AttendanceStatus.excused,
        denise_id: AttendanceStatus.present,
    }
    # The chair corrects the sheet; a later run leaves the correction alone.
    with Session(resources.engine()) as session:
        an_row = next(
            r for r in session.exec(select(Attendance)) if r.person_id == group.people["an"]
        )
        an_row.status = AttendanceStatus.absent
        session.add(an_row)
        session.commit()
    assert _run(STARTS + timedelta(hours=3))["attendance_prefilled"] == 0
    with Session(resources.engine()) as session:
        kept = session.exec(
            select(Attendance.status).where(Attendance.person_id == group.people["an"])
        ).one()
    assert kept is AttendanceStatus.absent


def _feed(who: int, at: datetime) -> str:
    """Make a person's own feed and fetch it once; the secret, for fetching it again."""
    with Session(resources.engine()) as session:
        person = session.get(Person, who)
        assert person is not None
        made = subscriptions.create(
            session, person=person, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=at
        )
        session.commit()
    _fetch(made.secret, at)
    return made.secret


def _fetch(secret: str, at: datetime) -> None:
    """Fetch a feed as a calendar app does (the serving path's use case)."""
    with Session(resources.engine()) as session:
        served = content.serve(
            session, token_hash=tokens.digest(secret), settings=resources.settings(), now=at
        )
        assert served is not None
        session.commit()


def test_a_late_change_is_mailed_to_members_whose_feed_is_stale(
    smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Invitations by mail only the day before: until then the members rely on their feeds.
    monkeypatch.setenv("OVERLEG_INVITATION_DAYS_BEFORE", "1")
    resources.reset()
    group = _group()
    moved_at = STARTS - timedelta(hours=40)
    bert = _feed(group.people["bert"], moved_at - timedelta(minutes=10))
    _feed(group.people["bea"], moved_at - timedelta(minutes=5))
    assert _run(moved_at - timedelta(minutes=1))["invitations"] == 0
    with Session(resources.engine()) as session:
        changes.reschedule(
            session,
            meeting_id=group.meeting_id,
            starts_at=STARTS + timedelta(hours=4),
            ends_at=STARTS + timedelta(hours=6),
            reason="De zaal is 's ochtends bezet",
            actor=Actor.system("test"),
            now=moved_at,
        )
        session.commit()
    # Bert's calendar fetches the change 20 minutes later (30 minutes after its last fetch:
    # recorded because the content changed); Bea's calendar does not come back in time.
    _fetch(bert, moved_at + timedelta(minutes=20))
    assert _run(moved_at + timedelta(minutes=30))["change_notices"] == 0  # the feeds' grace
    step = _run(moved_at + timedelta(minutes=60))
    assert step["change_notices"] == 3
    told = {
        _to(m): str(m["Subject"])
        for m in smtp.handler.messages()
        if str(m["Subject"]).startswith(("Gewijzigd", "Changed", "Modifié"))
    }
    assert told == {
        _email(group.people["an"]): "Gewijzigd: Vergadering, woensdag 3 februari 2027, 13:00",
        _email(group.people["bea"]): "Changed: Vergadering, Wednesday 3 February 2027, 13:00",
        _email(group.people["claire"]): "Modifié : Vergadering, mercredi 3 février 2027, 13:00",
    }
    claire = _mails(smtp, "Modifié")[_email(group.people["claire"])]
    assert (
        "Nouvel horaire : mercredi 3 février 2027, 13:00 à 15:00"
        " (auparavant mercredi 3 février 2027, 09:00)." in _text(claire)
    )
    with Session(resources.engine()) as session:
        how = {
            h.person_id: h.told
            for h in stale_feeds.told_how(
                session, meeting_id=group.meeting_id, now=moved_at + timedelta(hours=1)
            )
        }
    assert how == {
        group.people["an"]: stale_feeds.Told.direct,
        group.people["bert"]: stale_feeds.Told.feed,
        group.people["bea"]: stale_feeds.Told.direct,
        group.people["claire"]: stale_feeds.Told.direct,
    }
    # The day before, the invitations go by mail; no one is told the change twice.
    step = _run(STARTS + timedelta(hours=4) - timedelta(days=1))
    assert (step["invitations"], step["change_notices"]) == (4, 0)
