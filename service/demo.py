"""Load the demo organisation (real bodies, fictional people) from demo_data.toml, idempotently."""

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.deliverables import Deliverable, DeliverableCreate, DeliverableStatus
from models.groups import GroupKind, GroupTheme, WorkingGroup, WorkingGroupCreate
from models.homework import HomeworkAssignment, QuestionKind
from models.materials import Material
from models.meetings import Meeting, MeetingCreate, MeetingFormat, MeetingKind, MeetingStatus
from models.memberships import Membership, MembershipCreate, MembershipRole
from models.organisations import Organisation, OrganisationCreate, OrganisationKind
from models.people import Language, PersonCreate, StaffRole
from models.programmes import Programme, ProgrammeCreate
from models.replies import AttendMode, MeetingReply, ReplyAnswer, ReplySource
from service import demo_questions
from service.audit import Actor
from service.clock import brussels
from service.deliverables import deliverables
from service.directory import groups, memberships, organisations, people
from service.homework import assignments
from service.homework.assignments import AssignmentIn, QuestionIn
from service.lifecycle import changes
from service.materials import materials, places
from service.meetings import meetings
from service.replies import answers

DATA_FILE = Path(__file__).with_name("demo_data.toml")
ACTOR = Actor.system("demo-data")
Row = dict[str, Any]


@dataclass
class LoadReport:
    """How many rows of each kind the load added; a second load adds none."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        """Count one added row of `kind`."""
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def total(self) -> int:
        """All rows added."""
        return sum(self.added.values())


def load(session: Session, *, now: datetime, path: Path = DATA_FILE) -> LoadReport:
    """Add every demo row that is not there yet; existing rows are left as they are."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    with session.begin_nested():
        for table, add in _LOADERS:
            for row in data.get(table, []):
                add(session, row, report, now)
        # The members' questions come after the meetings and replies they belong to.
        for _ in range(demo_questions.load(session, data.get("question", []), actor=ACTOR)):
            report.count("question")
        for row in data.get("homework", []):
            _homework(session, row, report, now)
    return report


def _programme(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    if session.exec(select(Programme).where(Programme.slug == row["slug"])).first():
        return
    groups.create_programme(session, programme_in=ProgrammeCreate(**row), actor=ACTOR, now=now)
    report.count("programme")


def _organisation(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    if session.exec(select(Organisation).where(Organisation.slug == row["slug"])).first():
        return
    organisation_in = OrganisationCreate(
        slug=row["slug"], name=row["name"], kind=OrganisationKind(row["kind"])
    )
    organisations.create(session, organisation_in=organisation_in, actor=ACTOR, now=now)
    report.count("organisation")


def _person(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    if people.find_by_email(session, email=row["email"]) is not None:
        return
    person_in = PersonCreate(
        name=row["name"],
        email=row["email"],
        organisation=row["organisation"],
        job_title=row.get("job_title"),
        language=Language(row.get("language", "nl")),
        staff_role=StaffRole(row.get("staff_role", "none")),
    )
    people.create(session, person_in=person_in, actor=ACTOR, now=now)
    report.count("person")


def _group(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    existing = session.exec(select(WorkingGroup).where(WorkingGroup.slug == row["slug"]))
    group = existing.first()
    if group is None:
        fields = {k: v for k, v in row.items() if k != "themes"}
        fields["kind"] = GroupKind(fields["kind"])
        if "default_format" in fields:
            fields["default_format"] = MeetingFormat(fields["default_format"])
        group = groups.create(session, group_in=WorkingGroupCreate(**fields), actor=ACTOR, now=now)
        report.count("group")
    assert group.id is not None
    for year, theme in row.get("themes", {}).items():
        current = {t.year: t.theme for t in _themes(session, group.id)}
        if current.get(int(year)) != theme:
            groups.set_theme(
                session, group_id=group.id, year=int(year), theme=theme, actor=ACTOR, now=now
            )
            report.count("theme")


def _themes(session: Session, group_id: int) -> list[GroupTheme]:
    return list(session.exec(select(GroupTheme).where(GroupTheme.group_id == group_id)))


def _membership(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    person = people.get_by_email(session, email=row["person"])
    group = groups.get_by_slug(session, slug=row["group"])
    exists = session.exec(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.group_id == group.id,
            Membership.joined_on == row["joined_on"],
        )
    ).first()
    if exists:
        return
    membership_in = MembershipCreate(
        person_email=row["person"],
        group=row["group"],
        role=MembershipRole(row.get("role", "member")),
        joined_on=row["joined_on"],
        left_on=row.get("left_on"),
    )
    memberships.add(session, membership_in=membership_in, actor=ACTOR, now=now)
    report.count("membership")


def _meeting(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    group = groups.get_by_slug(session, slug=row["group"])
    if _meeting_titled(session, group, row["title"]) is not None:
        return
    starts_at = brussels(row["starts_at"])
    meeting_in = MeetingCreate(
        group=row["group"],
        title=row["title"],
        kind=MeetingKind(row.get("kind", "meeting")),
        description=row.get("description"),
        format=MeetingFormat(row.get("format", group.default_format.value)),
        location=row.get("location"),
        join_url=row.get("join_url"),
        is_public=row.get("is_public", False),
        starts_at=starts_at,
        ends_at=starts_at
        + timedelta(minutes=row.get("duration_minutes", group.default_duration_minutes)),
        status=MeetingStatus(row.get("status", "planned")),
        status_reason=row.get("reason") if row.get("status") == "cancelled" else None,
    )
    meeting = meetings.schedule(
        session,
        meeting_in=meeting_in,
        actor=ACTOR,
        now=min(now, starts_at - timedelta(days=60)),
    )
    report.count("meeting")
    if "postponed_to" in row:
        period, precision = deliverables.parse_due(row["postponed_to"])
        assert meeting.id is not None
        # The secretariat decided the postponement a few weeks before the planned day.
        decided = starts_at - timedelta(days=21)
        changes.postpone(
            session,
            meeting_id=meeting.id,
            period_start=period,
            precision=precision,
            reason=row["reason"],
            actor=ACTOR,
            now=decided,
        )


def _meeting_titled(session: Session, group: WorkingGroup, title: str) -> Meeting | None:
    found = select(Meeting).where(Meeting.group_id == group.id, Meeting.title == title)
    return session.exec(found).first()


def _meeting_of(session: Session, group: WorkingGroup, title: str) -> Meeting:
    """A meeting the data file names, loaded before by `_meeting`."""
    meeting = _meeting_titled(session, group, title)
    if meeting is None:
        raise ValueError(f"no demo meeting {title!r} in {group.slug}")
    return meeting


def _deliverable(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    group = groups.get_by_slug(session, slug=row["group"])
    if session.exec(
        select(Deliverable).where(
            Deliverable.group_id == group.id, Deliverable.title == row["title"]
        )
    ).first():
        return
    due_on, precision = deliverables.parse_due(row["due"])
    deliverable_in = DeliverableCreate(
        group=row["group"],
        title=row["title"],
        description=row.get("description"),
        accountable_email=row.get("accountable"),
        accountable_organisation=row.get("accountable_organisation"),
        due_on=due_on,
        due_precision=precision,
        status=DeliverableStatus(row.get("status", "planned")),
        status_reason=row.get("status_reason"),
        progress=row.get("progress", 0),
    )
    deliverables.create(
        session,
        deliverable_in=deliverable_in,
        actor=ACTOR,
        now=now,
        delivered_on=row.get("delivered_on"),
        historical=True,
    )
    report.count("deliverable")


def _material(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    """Links on meetings and in libraries (no files: a file needs a materials folder)."""
    group = groups.get_by_slug(session, slug=row["group"])
    assert group.id is not None
    place = places.library(group.id)
    if "meeting" in row:
        place = places.of_meeting(_meeting_of(session, group, row["meeting"]))
    if session.exec(
        select(Material).where(
            Material.group_id == group.id,
            col(Material.meeting_id).is_(None)
            if place.meeting_id is None
            else col(Material.meeting_id) == place.meeting_id,
            Material.title == row["title"],
        )
    ).first():
        return
    materials.add_link(
        session, place=place, title=row["title"], url=row["url"], actor=ACTOR, now=now
    )
    report.count("material")


def _homework(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    """Homework for a meeting, with its default deadline (answers come from the members)."""
    group = groups.get_by_slug(session, slug=row["group"])
    meeting = _meeting_of(session, group, row["meeting"])
    if session.exec(
        select(HomeworkAssignment).where(
            HomeworkAssignment.meeting_id == meeting.id,
            HomeworkAssignment.title == row["title"],
        )
    ).first():
        return
    questions = tuple(
        QuestionIn(QuestionKind(q["kind"]), q["prompt"], tuple(q.get("choices", [])))
        for q in row["questions"]
    )
    assignment_in = AssignmentIn(row["title"], row.get("introduction", ""), questions)
    assignments.store(
        session, meeting=meeting, assignment_in=assignment_in,
        deadline=assignments.default_deadline(meeting), actor=ACTOR, now=now,
    )  # fmt: skip
    report.count("homework_assignment")


def _reply(session: Session, row: Row, report: LoadReport, now: datetime) -> None:
    group = groups.get_by_slug(session, slug=row["group"])
    meeting = _meeting_of(session, group, row["meeting"])
    person = people.get_by_email(session, email=row["person"])
    received_at = brussels(row["received_at"])
    if (
        received_at > now
        or session.exec(
            select(MeetingReply).where(
                MeetingReply.meeting_id == meeting.id, MeetingReply.person_id == person.id
            )
        ).first()
    ):
        return  # not yet sent on this clock, or loaded before
    answers.record(
        session,
        meeting=meeting,
        person=person,
        answer=ReplyAnswer(row["answer"]),
        comment=row.get("comment"),
        sequence=meeting.revision,
        source=ReplySource(row.get("source", "calendar")),
        received_at=received_at,
        message_id=None,
        now=now,
        mode=AttendMode(row["mode"]) if "mode" in row else None,
        stand_in_id=people.get_by_email(session, email=row["stand_in"]).id
        if "stand_in" in row
        else None,
    )
    report.count("reply")


_LOADERS: tuple[tuple[str, Callable[[Session, Row, LoadReport, datetime], None]], ...] = (
    ("programme", _programme),
    ("organisation", _organisation),
    ("person", _person),
    ("group", _group),
    ("membership", _membership),
    ("meeting", _meeting),
    ("deliverable", _deliverable),
    ("material", _material),
    ("reply", _reply),
)
