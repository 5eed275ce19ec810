"""The read-replies flow against a real Dovecot: every client's shape, the broken ones, twice."""

import imaplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from flows import resources
from flows.replies import read_replies
from models.replies import MeetingReply, MessageOutcome, ReplyMessage
from service.feeds.calendar_events import meeting_uid
from service.lifecycle import changes
from service.replies import expected, mailbox
from tests.factories import ACTOR, join, make_group, make_meeting, make_organisation, make_person
from tests.imap import Dovecot, ImapServer, imap_client
from tests.service.replies import shapes


class World:
    """Two meetings of one group with people in four organisations, and a cancelled one."""

    def __init__(self, now: datetime) -> None:
        earlier = now - timedelta(days=60)
        with resources.session() as session:
            group = make_group(session, now=earlier)
            gent, antwerpen = (
                make_organisation(session, now=earlier, name=n) for n in ("Gent", "Antwerpen")
            )
            brugge, leuven = (
                make_organisation(session, now=earlier, name=n) for n in ("Brugge", "Leuven")
            )
            orgs = [gent, gent, antwerpen, brugge, leuven]
            self.people = [make_person(session, now=earlier, organisation=o) for o in orgs]
            for person in self.people:
                join(session, person=person, group=group, now=earlier)
            self.outsider = make_person(session, now=earlier, organisation=gent)
            self.meeting = make_meeting(
                session, now=earlier, group=group, starts_in=timedelta(days=90)
            )
            moved = make_meeting(session, now=earlier, group=group, starts_in=timedelta(days=120))
            gone = make_meeting(session, now=earlier, group=group, starts_in=timedelta(days=150))
            assert self.meeting.starts_at and moved.starts_at and gone.starts_at
            # Two hours later the same day: answers to revision 0 still count.
            changes.reschedule(
                session,
                meeting_id=self.id,
                starts_at=self.meeting.starts_at + timedelta(hours=2),
                ends_at=self.meeting.ends_at + timedelta(hours=2) if self.meeting.ends_at else now,
                reason=None,
                actor=ACTOR,
                now=earlier,
            )
            # A week later: answers to revision 0 no longer count.
            changes.reschedule(
                session,
                meeting_id=moved.id or 0,
                starts_at=moved.starts_at + timedelta(days=7),
                ends_at=moved.starts_at + timedelta(days=7, hours=2),
                reason=None,
                actor=ACTOR,
                now=earlier,
            )
            changes.cancel(
                session, meeting_id=gone.id or 0, reason="Geen agenda", actor=ACTOR, now=earlier
            )
            settings = resources.settings()
            self.uid = meeting_uid(self.id, settings)
            self.moved_uid = meeting_uid(moved.id or 0, settings)
            self.gone_uid = meeting_uid(gone.id or 0, settings)
            self.emails = [p.email for p in self.people]
            self.outsider_email = self.outsider.email

    @property
    def id(self) -> int:
        assert self.meeting.id is not None
        return self.meeting.id


def _messages(world: World) -> list[tuple[bytes, str]]:
    """(message, what it should become): every client's shape and every broken one."""
    uid, e = world.uid, world.emails
    return [
        (shapes.outlook(uid, 1, e[0], tag="outlook"), "recorded"),
        (shapes.gmail(uid, 1, e[1], tag="gmail"), "recorded"),
        # Apple answers revision 0: the meeting moved two hours, not a day, so it counts.
        (shapes.apple(uid, 0, e[2], tag="apple"), "recorded"),
        (shapes.thunderbird(uid, 1, e[3], tag="thunderbird"), "recorded"),
        # The person of Gmail changes their mind later: the last answer counts.
        (
            shapes.bare(shapes.minimal(uid, 1, e[1], "DECLINED"), sender=e[1], tag="later"),
            "recorded",
        ),
        (shapes.thunderbird(world.moved_uid, 0, e[0], tag="moved"), "day_changed"),
        (shapes.gmail(world.gone_uid, 1, e[0], tag="gone"), "meeting_cancelled"),
        (shapes.bare(shapes.minimal(uid, 1, None), sender=e[4], tag="noattendee"), "no_attendee"),
        (
            shapes.bare(
                shapes.minimal("meeting-999999@elders.example", 0, e[4]), sender=e[4], tag="unknown"
            ),
            "unknown_meeting",
        ),
        (shapes.outlook(uid, 1, "doorgestuurd@elders.example", tag="forwarded"), "unknown_person"),
        (shapes.gmail(uid, 1, world.outsider_email, tag="outsider"), "not_invited"),
        (shapes.bare(shapes.minimal(uid, 7, e[4]), sender=e[4], tag="future"), "future_sequence"),
        (
            shapes.bare(
                "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID:x\n", sender=e[4], tag="broken"
            ),
            "malformed",
        ),
        (shapes.large("large"), "too_large"),
    ]


def test_replies_are_recorded_once_and_the_rest_is_left_with_its_reason(
    imap: ImapServer, now: datetime
) -> None:
    world = World(now)
    messages = _messages(world)
    with imap_client(imap) as client:
        for number, (raw, _) in enumerate(messages):
            client.append("INBOX", raw, msg_time=now - timedelta(hours=len(messages) - number))

    first = read_replies(now=now)
    assert first is not None
    assert (first["read"], first["recorded"], first["failed"]) == (len(messages), 5, 0)
    with Session(resources.engine()) as session:
        left = session.exec(select(ReplyMessage).order_by(col(ReplyMessage.imap_uid))).all()
        assert [m.reason.value if m.reason else m.outcome.value for m in left] == [
            want for _, want in messages
        ]
        replies = session.exec(select(MeetingReply)).all()
        attendance = expected.expected(session, meeting_id=world.id)
    # Every answer kept (the moved meeting's too, not counting); the person of Gmail twice.
    assert len(replies) == 6
    assert [r.counts for r in replies if r.meeting_id != world.id] == [False]
    counts = {o.organisation: o.counts for o in attendance.organisations}
    assert counts == {
        "Antwerpen": {"accepted": 0, "tentative": 0, "declined": 1, "stand_in": 0, "none": 0},
        "Brugge": {"accepted": 1, "tentative": 0, "declined": 0, "stand_in": 0, "none": 0},
        "Gent": {"accepted": 0, "tentative": 1, "declined": 1, "stand_in": 0, "none": 0},
        "Leuven": {"accepted": 0, "tentative": 0, "declined": 0, "stand_in": 0, "none": 1},
    }
    gent = next(o for o in attendance.organisations if o.organisation == "Gent")
    notes = {line.comment for line in gent.people}
    assert "Ik stel een later uur voor, ik kom uit een andere vergadering." in notes

    with imap_client(imap) as client:
        flags = client.get_flags(client.search("ALL"))
    assert len(flags) == len(messages)  # nothing deleted
    assert all(mailbox.READ in f and b"\\Seen" not in f for f in flags.values())
    assert sum(mailbox.UNMATCHED in f for f in flags.values()) == len(messages) - 5

    second = read_replies(now=now + timedelta(minutes=5))
    assert second is not None and second["read"] == 0
    with Session(resources.engine()) as session:
        assert len(session.exec(select(MeetingReply)).all()) == 6
        assert len(session.exec(select(ReplyMessage)).all()) == len(messages)


def test_a_run_stopped_before_flagging_records_nothing_twice(
    imap: ImapServer, now: datetime
) -> None:
    world = World(now)
    with imap_client(imap) as client:
        client.append(
            "INBOX", shapes.gmail(world.uid, 1, world.emails[0], tag="once"), msg_time=now
        )
    assert read_replies(now=now) == {
        "read": 1,
        "recorded": 1,
        "unmatched": 0,
        "failed": 0,
        "reasons": {},
    }
    # As if the run had stopped after its commit and before it flagged the message.
    with imap_client(imap) as client:
        client.remove_flags(client.search("ALL"), [mailbox.READ])
    again = read_replies(now=now)
    assert again is not None and again["read"] == 1
    with Session(resources.engine()) as session:
        assert len(session.exec(select(MeetingReply)).all()) == 1
        message = session.exec(select(ReplyMessage)).one()
    assert message.outcome is MessageOutcome.recorded
    with imap_client(imap) as client:
        assert all(mailbox.READ in f for f in client.get_flags(client.search("ALL")).values())


def test_the_mailbox_going_away_mid_batch_loses_nothing_and_repeats_nothing(
    imap: ImapServer, imap_process: Dovecot, now: datetime
) -> None:
    world = World(now)
    with imap_client(imap) as client:
        for number, email in enumerate(world.emails[:4]):
            raw = shapes.thunderbird(world.uid, 1, email, tag=f"batch-{number}")
            client.append("INBOX", raw, msg_time=now - timedelta(minutes=10 - number))
    calls = 0

    @contextmanager
    def sessions() -> Iterator[Session]:
        nonlocal calls
        calls += 1
        with resources.session() as session:
            yield session
        if calls == 2:  # the second answer is committed, then the server goes away
            imap_process.stop()

    with pytest.raises((OSError, imaplib.IMAP4.error)):
        mailbox.read(resources.settings(), sessions=sessions, now=now)
    imap_process.start()
    batch = read_replies(now=now)
    # The second message was committed before the server went away: it is only flagged now.
    assert batch is not None and (batch["read"], batch["failed"]) == (3, 0)
    with Session(resources.engine()) as session:
        rows = session.exec(select(MeetingReply)).all()
    assert sorted(r.person_id or 0 for r in rows) == sorted(p.id or 0 for p in world.people[:4])
    with imap_client(imap) as client:
        assert all(mailbox.READ in f for f in client.get_flags(client.search("ALL")).values())


def test_without_imap_settings_the_flow_does_nothing(flow_database: str) -> None:
    assert read_replies() is None
