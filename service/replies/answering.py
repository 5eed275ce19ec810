"""Answering a meeting through a personal link: I come (in person, online), I cannot, a stand-in.

The link opens a page that asks to confirm; the answer is recorded only when the page is sent,
so a mail scanner that follows links answers nothing. Answering again is always possible until
the meeting starts; every answer stays on record and the last one counts (service/replies/answers).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.errors import N_
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting
from models.people import Person
from models.replies import AnswerChoice, AttendMode, MeetingReply, ReplyAnswer, ReplySource
from service.agenda import calls, member_form
from service.audit import Actor
from service.clock import local_today
from service.directory import memberships
from service.lifecycle import invitations
from service.mail import links as mail_links
from service.mail.links import LinkRefused
from service.replies import answers, links, stand_ins
from service.settings import Settings


@dataclass(frozen=True)
class Ballot:
    """What an answer link shows: the meeting, the person, their answer now, who could stand in."""

    meeting: Meeting
    group: WorkingGroup
    person: Person
    current: MeetingReply | None
    current_choice: AnswerChoice | None
    stand_in: Person | None
    candidates: list[Person]


@dataclass(frozen=True)
class StandInTyped:
    """A stand-in as given on the form: a known colleague's id, or a name and an address."""

    person_id: int | None = None
    name: str = ""
    email: str = ""


def choice_of(reply: MeetingReply | None) -> AnswerChoice | None:
    """The answer-link choice a recorded answer amounts to (a calendar 'maybe' is none)."""
    if reply is None:
        return None
    if reply.answer is ReplyAnswer.accepted:
        return AnswerChoice.online if reply.mode is AttendMode.online else AnswerChoice.in_person
    if reply.answer is ReplyAnswer.declined:
        return AnswerChoice.stand_in if reply.stand_in_id else AnswerChoice.declined
    return None


def open_ballot(session: Session, *, token: str, key: str, now: datetime) -> Ballot:
    """What a link opens now, or LinkRefused with the reason."""
    meeting, person = mail_links.open_link(
        session, token, key=key, purpose=mail_links.ANSWER_PURPOSE, kind=Meeting
    )
    if meeting.status not in OPEN_STATUSES or meeting.starts_at is None:
        raise LinkRefused(
            N_("This meeting has been cancelled or postponed: there is nothing to answer."),
            reason="expired",
        )
    if meeting.starts_at <= now:
        raise LinkRefused(
            N_("This meeting has started or taken place: answers are closed."), reason="expired"
        )
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None and person.id is not None and meeting.id is not None
    if not memberships.is_member(
        session, person_id=person.id, group_id=group.id or 0, on=local_today(now)
    ):
        raise LinkRefused(
            N_("This link is for a working group you are no longer a member of."),
            reason="not_member",
        )
    current = answers.latest(session, meeting_id=meeting.id).get(person.id)
    stand_in = session.get(Person, current.stand_in_id) if current and current.stand_in_id else None
    return Ballot(
        meeting=meeting,
        group=group,
        person=person,
        current=current,
        current_choice=choice_of(current),
        stand_in=stand_in,
        candidates=stand_ins.candidates(session, meeting=meeting, member=person),
    )


def record_answer(
    session: Session,
    *,
    ballot: Ballot,
    choice: AnswerChoice,
    stand_in: StandInTyped,
    settings: Settings,
    now: datetime,
) -> MeetingReply:
    """Record the person's answer; a stand-in is sent the invitation (and the form while open)."""
    meeting, person = ballot.meeting, ballot.person
    with session.begin_nested():
        chosen = None
        if choice is AnswerChoice.stand_in:
            chosen = stand_ins.choose(
                session,
                meeting=meeting,
                member=person,
                person_id=stand_in.person_id,
                name=stand_in.name,
                email=stand_in.email,
                actor=Actor.of(person),
                now=now,
            )
        row = answers.record(
            session,
            meeting=meeting,
            person=person,
            answer=ReplyAnswer.accepted
            if choice in (AnswerChoice.in_person, AnswerChoice.online)
            else ReplyAnswer.declined,
            comment=None,
            sequence=meeting.revision,
            source=ReplySource.link,
            received_at=now,
            message_id=None,
            now=now,
            mode=AttendMode(choice.value) if choice.value in AttendMode.__members__ else None,
            stand_in_id=chosen.id if chosen is not None else None,
        )
        if chosen is not None:
            invite_stand_in(session, meeting=meeting, person=chosen, settings=settings, now=now)
    return row


def invite_stand_in(
    session: Session, *, meeting: Meeting, person: Person, settings: Settings, now: datetime
) -> int:
    """Send a stand-in the meeting's invitation and, while its call is open, its agenda form."""
    assert meeting.id is not None
    queued = int(
        invitations.queue_request(
            session,
            meeting_id=meeting.id,
            person=person,
            settings=settings,
            now=now,
            answer_links=False,
        )
    )
    call = calls.for_meeting(session, meeting_id=meeting.id)
    if call is not None and member_form.phase_of(call, now=now) is member_form.Phase.open:
        queued += calls.queue_opening(session, call=call, person=person, now=now)
    return queued


def own_link(
    session: Session, *, meeting: Meeting, person: Person, settings: Settings, now: datetime
) -> str | None:
    """The person's answer link for the meeting page, when they can answer it now."""
    if meeting.status not in OPEN_STATUSES or meeting.starts_at is None:
        return None
    if meeting.starts_at <= now or meeting.id is None or person.id is None:
        return None
    if not memberships.is_member(
        session, person_id=person.id, group_id=meeting.group_id, on=local_today(now)
    ):
        return None
    return links.url(
        base_url="",
        meeting_id=meeting.id,
        person_id=person.id,
        key=settings.resolved_secret_key(),
    )
