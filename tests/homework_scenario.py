"""The homework of the done-means test: 14 cities, one question of each kind, 11 answers."""

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models.groups import WorkingGroup
from models.homework import HomeworkAssignment, QuestionKind
from models.meetings import Meeting
from models.memberships import MembershipRole
from models.people import Person
from service.homework import answering, assignments
from service.homework.assignments import AssignmentIn, QuestionIn
from service.mail import links as mail_links
from service.materials.materials import Limits, Shelf, Upload
from service.materials.storage import Store
from tests.factories import ACTOR, join, make_group, make_meeting, make_organisation, make_person

KEY = "homework-scenario-key"
SET_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
MEETING_AT = datetime(2026, 3, 23, 13, 0, tzinfo=UTC)  # three weeks later
# Five working days before 23 March is Monday 16 March; 17:00 in Brussels (CET) is 16:00 UTC.
DEADLINE = datetime(2026, 3, 16, 16, 0, tzinfo=UTC)
CITIES = (
    "Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven",
    "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout", "VGC",
)  # fmt: skip
SILENT = ("Genk", "Turnhout", "VGC")
TITLE = "Stand van zaken NIS2"
QUESTIONS = (
    QuestionIn(QuestionKind.text, "Wat is jullie grootste uitdaging bij NIS2?"),
    QuestionIn(QuestionKind.yes_no, "Is jullie stad al geregistreerd op Safeonweb@work?"),
    QuestionIn(
        QuestionKind.one_choice,
        "Wie is bij jullie verantwoordelijk?",
        ("CISO", "DPO", "IT-diensthoofd"),
    ),
    QuestionIn(
        QuestionKind.several_choices,
        "Welke maatregelen zijn al genomen?",
        ("MFA", "Back-ups offline", "Awareness-training", "Incidentplan"),
    ),
    QuestionIn(QuestionKind.number, "Hoeveel VTE werken aan informatieveiligheid?"),
    QuestionIn(QuestionKind.file, "Bezorg jullie actieplan (mag ook later)."),
)
# What each city types, as on the form (answer_1 .. answer_5); files apart.
TYPED: dict[str, dict[str, Any]] = {
    "Aalst": {"1": "Te weinig personeel voor informatieveiligheid.", "2": "yes", "3": "DPO",
              "4": ["MFA"], "5": "1"},
    "Antwerpen": {"1": "Te weinig personeel en budget voor informatieveiligheid.", "2": "yes",
                  "3": "CISO", "4": ["MFA", "Back-ups offline", "Incidentplan"], "5": "12,5"},
    "Brugge": {"1": "Onduidelijk welke diensten onder NIS2 vallen.", "2": "yes", "3": "CISO",
               "4": ["MFA", "Awareness-training"], "5": "3"},
    "Hasselt": {"1": "Leveranciers en hun contracten opvolgen.", "2": "no", "3": "DPO",
                "4": [], "5": "2"},
    "Kortrijk": {"1": "We hebben te weinig personeel voor informatieveiligheid.", "2": "yes",
                 "3": "IT-diensthoofd", "4": ["Back-ups offline"], "5": "1,5"},
    "Leuven": {"1": "Onduidelijk welke diensten onder de NIS2-wet vallen.", "2": "yes",
               "3": "CISO", "4": ["MFA", "Back-ups offline"], "5": "4"},
    "Mechelen": {"1": "", "2": "no", "3": "IT-diensthoofd", "4": ["Awareness-training"],
                 "5": "1"},
    "Oostende": {"1": "Geen idee.", "2": "no", "3": "IT-diensthoofd", "4": ["MFA"],
                 "5": "0,5"},
    "Roeselare": {"1": "Leveranciers opvolgen en contracten aanpassen.", "2": "no",
                  "3": "IT-diensthoofd", "4": ["Incidentplan"], "5": "1"},
    "Sint-Niklaas": {"1": "Bewustzijn bij de medewerkers.", "2": "", "3": "IT-diensthoofd",
                     "4": ["MFA", "Awareness-training"], "5": "2"},
}  # fmt: skip
# Gent: a first colleague answers, a second one completes and changes it.
GENT_FIRST = {"1": "Onduidelijk welke diensten van de stad onder NIS2 vallen.", "2": "yes",
              "3": "CISO", "4": ["MFA"], "5": "6"}  # fmt: skip
GENT_SECOND = {**GENT_FIRST, "4": ["MFA", "Back-ups offline", "Awareness-training",
               "Incidentplan"], "5": "8"}  # fmt: skip
# Oostende changes its answer after the deadline: kept as late input.
OOSTENDE_LATE = {**TYPED["Oostende"], "1": "De registratie op Safeonweb@work zelf.", "5": "1"}
FILES = {"Antwerpen": b"Actieplan NIS2 Antwerpen\n", "Gent": b"Actieplan NIS2 Gent\n"}


@dataclass
class World:
    """The group, its meeting, the people of each city and the secretary."""

    group: WorkingGroup
    meeting: Meeting
    secretary: Person
    people: dict[str, list[Person]] = field(default_factory=dict)


def build(session: Session) -> World:
    """The group of 14 cities (Gent with two members) and its meeting on 23 March."""
    earlier = SET_AT - timedelta(days=60)
    group = make_group(session, now=earlier)
    secretary = make_person(session, now=earlier)
    join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
    world = World(
        group=group,
        meeting=make_meeting(session, now=earlier, group=group, starts_in=MEETING_AT - earlier),
        secretary=secretary,
    )
    for city in CITIES:
        organisation = make_organisation(session, now=earlier, name=f"Stad {city}")
        count = 2 if city == "Gent" else 1
        world.people[city] = []
        for number in range(count):
            person = make_person(
                session, now=earlier, organisation=organisation, name=f"{city} lid {number + 1}"
            )
            join(session, person=person, group=group, now=earlier)
            world.people[city].append(person)
    return world


def set_homework(session: Session, world: World) -> HomeworkAssignment:
    """The secretariat sets the homework, per organisation, with the default deadline."""
    assert world.group.id is not None
    return assignments.set_assignment(
        session,
        group_id=world.group.id,
        assignment_in=AssignmentIn(
            title=TITLE, introduction="Een korte stand van zaken per stad.", questions=QUESTIONS
        ),
        actor=ACTOR,
        now=SET_AT,
    )


def shelf(root: Path, *, file_bytes: int = 1024 * 1024) -> Shelf:
    """A materials store of the test's own."""
    return Shelf(
        store=Store(root), sizes=Limits(file_bytes=file_bytes, meeting_bytes=10 * file_bytes)
    )


def token(assignment: HomeworkAssignment, person: Person) -> str:
    """The token of a person's homework link."""
    assert assignment.id is not None and person.id is not None
    return mail_links.homework_token(assignment_id=assignment.id, person_id=person.id, key=KEY)


def answer(
    session: Session,
    assignment: HomeworkAssignment,
    person: Person,
    typed: dict[str, Any],
    *,
    now: datetime,
    store: Shelf,
    file: bytes | None = None,
) -> answering.Saved:
    """Save what a person typed through the use case, as the form does."""
    form = answering.open_form(session, token=token(assignment, person), key=KEY, now=now)
    fields = {f"answer_{k}": v for k, v in typed.items()}
    files = {"answer_6": Upload("actieplan.txt", io.BytesIO(file))} if file else {}
    read = answering.read_values(form, fields, files, store)
    return answering.save(session, form=form, answers=read, now=now)


def answer_all(
    session: Session, world: World, assignment: HomeworkAssignment, store: Shelf
) -> None:
    """The ten cities that answer once in time, and Gent's two colleagues."""
    at = SET_AT + timedelta(days=1)
    for number, (city, typed) in enumerate(sorted(TYPED.items())):
        when = at + timedelta(hours=number)
        answer(session, assignment, world.people[city][0], typed, now=when, store=store,
               file=FILES.get(city))  # fmt: skip
    first, second = world.people["Gent"]
    answer(session, assignment, first, GENT_FIRST, now=at + timedelta(days=2), store=store)
    answer(session, assignment, second, GENT_SECOND, now=at + timedelta(days=3), store=store,
           file=FILES["Gent"])  # fmt: skip
