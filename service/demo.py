"""Load the demo organisation (real bodies, fictional people) from demo_data.toml, idempotently."""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.dates import DatePrecision
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
_DUE = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|\d{2})(?:-(\d{2}))?)?$")


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


def parse_due(text: str) -> tuple[date, DatePrecision]:
    """Parse "2026", "2026-H1", "2026-Q1", "2026-02" or "2026-02-10" into a fuzzy date."""
    match = _DUE.match(text)
    if match is None:
        raise ValueError(f"not a due date: {text!r}")
    year, part, day = int(match[1]), match[2], match[3]
    if part is None:
        return date(year, 1, 1), DatePrecision.year
    if part.startswith("Q"):
        return date(year, 3 * int(part[1]) - 2, 1), DatePrecision.quarter
    if part.startswith("H"):
        return date(year, 6 * int(part[1]) - 5, 1), DatePrecision.half_year
    if day is None:
        return date(year, int(part), 1), DatePrecision.month
    return date(year, int(part), int(day)), DatePrecision.day


def load(session: Session, *, now: datetime, path: Path = DATA_FILE) -> LoadReport:
    """Add every demo row that is not there yet; existing rows are left as they are."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    with session.begin_nested():
        _programmes(session, data.get("programme", []), report, now)
        _organisations(session, data.get("organisation", []), report, now)
        _people(session, data.get("person", []), report, now)
        _groups(session, data.get("group", []), report, now)
        _memberships(session, data.get("membership", []), report, now)
        _meetings(session, data.get("meeting", []), report, now)
        _deliverables(session, data.get("deliverable", []), report, now)
        _materials(session, data.get("material", []), report, now)
        _replies(session, data.get("reply", []), report, now)
        for _ in range(demo_questions.load(session, data.get("question", []), actor=ACTOR)):
            report.count("question")
        _homework(session, data.get("homework", []), report, now)
    return report


def _programmes(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        if session.exec(select(Programme).where(Programme.slug == row["slug"])).first():
            continue
        groups.create_programme(session, programme_in=ProgrammeCreate(**row), actor=ACTOR, now=now)
        report.count("programme")


def _organisations(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        if session.exec(select(Organisation).where(Organisation.slug == row["slug"])).first():
            continue
        organisation_in = OrganisationCreate(
            slug=row["slug"], name=row["name"], kind=OrganisationKind(row["kind"])
        )
        organisations.create(session, organisation_in=organisation_in, actor=ACTOR, now=now)
        report.count("organisation")


def _people(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        if people.find_by_email(session, email=row["email"]) is not None:
            continue
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


def _groups(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        existing = session.exec(select(WorkingGroup).where(WorkingGroup.slug == row["slug"]))
        group = existing.first()
        if group is None:
            fields = {k: v for k, v in row.items() if k != "themes"}
            fields["kind"] = GroupKind(fields["kind"])
            if "default_format" in fields:
                fields["default_format"] = MeetingFormat(fields["default_format"])
            group = groups.create(
                session, group_in=WorkingGroupCreate(**fields), actor=ACTOR, now=now
            )
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


def _memberships(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
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
            continue
        membership_in = MembershipCreate(
            person_email=row["person"],
            group=row["group"],
            role=MembershipRole(row.get("role", "member")),
            joined_on=row["joined_on"],
            left_on=row.get("left_on"),
        )
        memberships.add(session, membership_in=membership_in, actor=ACTOR, now=now)
        report.count("membership")


def _meetings(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        group = groups.get_by_slug(session, slug=row["group"])
        if session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == row["title"])
        ).first():
            continue
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
            period, precision = parse_due(row["postponed_to"])
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


def _deliverables(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        group = groups.get_by_slug(session, slug=row["group"])
        if session.exec(
            select(Deliverable).where(
                Deliverable.group_id == group.id, Deliverable.title == row["title"]
            )
        ).first():
            continue
        due_on, precision = parse_due(row["due"])
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


def _materials(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    """Links on meetings and in libraries (no files: a file needs a materials folder)."""
    for row in rows:
        group = groups.get_by_slug(session, slug=row["group"])
        assert group.id is not None
        place = places.library(group.id)
        if "meeting" in row:
            place = places.of_meeting(
                session.exec(
                    select(Meeting).where(
                        Meeting.group_id == group.id, Meeting.title == row["meeting"]
                    )
                ).one()
            )
        if session.exec(
            select(Material).where(
                Material.group_id == group.id,
                col(Material.meeting_id).is_(None)
                if place.meeting_id is None
                else col(Material.meeting_id) == place.meeting_id,
                Material.title == row["title"],
            )
        ).first():
            continue
        materials.add_link(
            session, place=place, title=row["title"], url=row["url"], actor=ACTOR, now=now
        )
        report.count("material")


def _homework(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    """Homework for a meeting, with its default deadline (answers come from the members)."""
    for row in rows:
        group = groups.get_by_slug(session, slug=row["group"])
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == row["meeting"])
        ).one()
        if session.exec(
            select(HomeworkAssignment).where(
                HomeworkAssignment.meeting_id == meeting.id,
                HomeworkAssignment.title == row["title"],
            )
        ).first():
            continue
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


def _replies(
    session: Session, rows: list[dict[str, Any]], report: LoadReport, now: datetime
) -> None:
    for row in rows:
        group = groups.get_by_slug(session, slug=row["group"])
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == row["meeting"])
        ).one()
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
            continue  # not yet sent on this clock, or loaded before
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
