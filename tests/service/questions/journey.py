"""Twenty questions from three members, through synthesis, publication, a meeting and minutes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from models.agenda import (
    AgendaCall,
    AgendaCallCreate,
    AgendaItem,
    AgendaItemStatus,
    CallStatus,
    Submission,
    SubmissionCreate,
)
from models.deliverables import Deliverable, DeliverableCreate
from models.meetings import Meeting
from models.memberships import MembershipRole
from models.minutes import ApprovalMode, MinutesVersion
from models.people import Language, Person, PersonCreate
from models.questions import OUTCOMES, QuestionStatus
from service.agenda import calls, drafts, review, submissions
from service.audit import Actor
from service.deliverables import deliverables
from service.directory import people
from service.minutes import minutes
from service.questions import outcomes
from tests.factories import ACTOR, join, make_group, make_meeting, make_organisation

BASE_URL = "https://overleg.kcvs.example"
TOPICS = (
    "registratie Safeonweb",
    "back-up tegen ransomware",
    "phishing oefeningen",
    "leveranciersbeheer contracten",
    "incidentmelding binnen 24 uur",
    "bestuurdersopleiding",
    "risicoanalyse scope",
    "logbeheer bewaartermijn",
    "netwerksegmentatie scholen",
    "multifactor authenticatie",
    "patchbeleid servers",
    "crisiscommunicatie pers",
    "budget cyberbeveiliging",
    "audit door CCB",
    "cloudcontracten exit",
    "OT-systemen waterzuivering",
    "awareness personeel",
    "toegangsbeheer externen",
    "kwetsbaarheden scannen",
    "samenwerking politiezone",
)
LANGUAGES = (Language.nl, Language.en, Language.fr)
COUNTS = (7, 7, 6)  # twenty questions in all


@dataclass
class Journey:
    """The group, its two meetings, the three askers and what they asked."""

    group_slug: str
    meeting: Meeting
    next_meeting: Meeting
    askers: list[Person]
    secretary: Person
    chair: Person
    asked: dict[int, list[Submission]]  # person id -> their questions
    deliverable: Deliverable
    start: datetime


def _person(session: Session, now: datetime, name: str, language: Language) -> Person:
    organisation = make_organisation(session, now=now)
    return people.create(
        session,
        person_in=PersonCreate(
            name=name,
            email=f"{name.split()[0].lower()}.{organisation.slug}@test.example",
            organisation=organisation.slug,
            language=language,
        ),
        actor=ACTOR,
        now=now,
    )


def _call(session: Session, meeting: Meeting, opens: datetime, most: int) -> AgendaCall:
    assert meeting.id is not None
    call = calls.create_call(
        session,
        meeting_id=meeting.id,
        call_in=AgendaCallCreate(
            opens_at=opens, deadline=opens + timedelta(days=7), max_questions=most
        ),
        actor=ACTOR,
        now=opens,
    )
    call.status = CallStatus.open
    session.add(call)
    session.flush()
    return call


def begin(session: Session, *, now: datetime) -> Journey:
    """A group of three askers, a chair and a secretary; two meetings; twenty questions sent."""
    earlier = now - timedelta(days=90)
    group = make_group(session, now=earlier)
    names = ("Nele Nijs", "Emma English", "Francine Fontaine")
    askers = [_person(session, earlier, n, lang) for n, lang in zip(names, LANGUAGES, strict=True)]
    chair = _person(session, earlier, "Chris Chair", Language.nl)
    secretary = _person(session, earlier, "Sofie Secretaris", Language.nl)
    for person in askers:
        join(session, person=person, group=group, now=earlier)
    join(session, person=chair, group=group, now=earlier, role=MembershipRole.chair)
    join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
    meeting = make_meeting(
        session, now=earlier, group=group, starts_in=now + timedelta(days=14) - earlier
    )
    next_meeting = make_meeting(
        session, now=earlier, group=group, starts_in=now + timedelta(days=60) - earlier
    )
    call = _call(session, meeting, now, most=7)
    asked: dict[int, list[Submission]] = {}
    topics = iter(TOPICS)
    for person, count in zip(askers, COUNTS, strict=True):
        assert person.id is not None and call.id is not None
        texts = [f"Hoe pakken andere steden {next(topics)} aan?" for _ in range(count)]
        asked[person.id] = submissions.replace_submissions(
            session,
            call_id=call.id,
            person=person,
            entries=[SubmissionCreate(rank=r, question=t) for r, t in enumerate(texts, 1)],
            actor=Actor.of(person),
            now=now + timedelta(hours=1),
        )
    deliverable = deliverables.create(
        session,
        deliverable_in=DeliverableCreate(
            group=group.slug,
            title="Stappenplan NIS2",
            due_on=(now + timedelta(days=200)).date(),
            accountable_email=secretary.email,
        ),
        actor=ACTOR,
        now=now,
    )
    return Journey(
        group.slug, meeting, next_meeting, askers, secretary, chair, asked, deliverable, now
    )


def publish(session: Session, journey: Journey) -> list[AgendaItem]:
    """Close the call at its deadline, build the draft and publish it; its items."""
    call = calls.for_meeting(session, meeting_id=journey.meeting.id or 0)
    assert call is not None and call.id is not None
    call.status, call.closed_at = CallStatus.closed, call.deadline
    session.add(call)
    session.flush()
    at = journey.start + timedelta(days=8)
    drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=at)
    version = review.publish(
        session,
        meeting_id=journey.meeting.id or 0,
        note=None,
        actor=Actor.of(journey.secretary),
        now=at,
        accept_overrun=True,
    )
    assert version.id is not None
    return drafts.items(session, version_id=version.id)


def start_minutes(session: Session, journey: Journey) -> MinutesVersion:
    """The minutes of the held meeting, started the day after."""
    return minutes.start_draft(
        session,
        meeting_id=journey.meeting.id or 0,
        actor=Actor.of(journey.secretary),
        now=journey.start + timedelta(days=15),
    )


def choices(session: Session, journey: Journey) -> list[outcomes.Choice]:
    """One outcome per item on the agenda, every kind of outcome in turn."""
    notes = {
        QuestionStatus.answered: "Zie de nota van het CCB.",
        QuestionStatus.not_handled: "Geen tijd meer.",
        QuestionStatus.decision: None,
        QuestionStatus.deliverable: None,
        QuestionStatus.carried_over: None,
    }
    editor = outcomes.editor(session, meeting_id=journey.meeting.id or 0)
    chosen = []
    for n, row in enumerate(editor.items):
        outcome = OUTCOMES[n % len(OUTCOMES)]
        assert row.item.id is not None
        chosen.append(
            outcomes.Choice(
                item_id=row.item.id,
                outcome=outcome,
                note=notes[outcome],
                deliverable_id=journey.deliverable.id
                if outcome is QuestionStatus.deliverable
                else None,
            )
        )
    return chosen


def expected(
    items: list[AgendaItem], sources: dict[int, list[Submission]], chosen: list[outcomes.Choice]
) -> dict[int, tuple[str, str | None]]:
    """Per question: the status the mail must give, and the reason for one nobody wrote."""
    by_item = {c.item_id: c for c in chosen}
    found: dict[int, tuple[str, str | None]] = {}
    for item in items:
        for s in sources[item.id or 0]:
            if item.status is AgendaItemStatus.moved:
                found[s.id or 0] = ("carried_over", "moved")
            elif item.status is AgendaItemStatus.accepted:
                found[s.id or 0] = (by_item[item.id or 0].outcome, None)
            else:
                found[s.id or 0] = ("not_handled", "not_on_agenda")
    return found


def approve(session: Session, journey: Journey, version: MinutesVersion) -> MinutesVersion:
    """Send the minutes round, then approve them by the chair after the review."""
    assert version.id is not None
    at = journey.start + timedelta(days=16)
    minutes.open_review(
        session,
        version_id=version.id,
        deadline=at + timedelta(days=1),
        base_url=BASE_URL,
        actor=Actor.of(journey.secretary),
        now=at,
    )
    return minutes.approve(
        session,
        version_id=version.id,
        mode=ApprovalMode.chair,
        base_url=BASE_URL,
        actor=Actor.of(journey.chair),
        now=at + timedelta(days=2),
    )
