"""Setting a homework assignment for a group's next meeting, and finding assignments."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.errors import N_, DomainError, NotFound, at_most
from models.homework import (
    CHOICE,
    HOMEWORK_TITLE,
    INTRODUCTION,
    MAX_CHOICES,
    MAX_HOMEWORK_QUESTIONS,
    PROMPT,
    AnswerMode,
    HomeworkAssignment,
    HomeworkQuestion,
    QuestionKind,
)
from models.meetings import OPEN_STATUSES, Meeting
from service import audit, db
from service.agenda.calls import DEADLINE_AT
from service.audit import Actor
from service.clock import BRUSSELS, brussels, local_today
from service.followups import AdvanceHomework, FollowUps
from service.homework import answerers
from service.meetings import holidays, meetings

DEFAULT_WORKING_DAYS_BEFORE = 5
_CHOOSING = (QuestionKind.one_choice, QuestionKind.several_choices)


@dataclass(frozen=True)
class QuestionIn:
    """A question as the chair types it; choices only for the choosing kinds."""

    kind: QuestionKind
    prompt: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentIn:
    """An assignment as it is set: no deadline means the default before the meeting."""

    title: str
    introduction: str
    questions: tuple[QuestionIn, ...]
    mode: AnswerMode = AnswerMode.organisation
    deadline: datetime | None = None


def default_deadline(meeting: Meeting) -> datetime:
    """17:00 Brussels time, five working days before the meeting's day."""
    assert meeting.starts_at is not None
    day = meeting.starts_at.astimezone(BRUSSELS).date()
    counted = 0
    while counted < DEFAULT_WORKING_DAYS_BEFORE:
        day -= timedelta(days=1)
        if holidays.is_working_day(day):
            counted += 1
    return brussels(datetime.combine(day, DEADLINE_AT))


def next_meeting(session: Session, *, group_id: int, now: datetime) -> Meeting:
    """The group's next meeting with a date, which homework prepares."""
    found = session.exec(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            col(Meeting.status).in_(OPEN_STATUSES),
            col(Meeting.starts_at) > now,
        )
        .order_by(col(Meeting.starts_at))
    ).first()
    if found is None:
        raise DomainError(
            N_("This group has no next meeting planned yet; plan one first."), field="meeting"
        )
    return found


def _text(value: str, *, limit: int, field: str, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise DomainError(N_("This field is required."), field=field)
    return at_most(text, limit, field=field)


def _choices(question: QuestionIn, *, field: str) -> list[str]:
    if question.kind not in _CHOOSING:
        return []
    choices = [c.strip() for c in question.choices if c.strip()]
    if len(choices) < 2 or len(choices) > MAX_CHOICES:
        raise DomainError(
            N_("Offer between 2 and %(most)s choices, one per line."), field=field, most=MAX_CHOICES
        )
    if len(set(choices)) != len(choices) or any(len(c) > CHOICE for c in choices):
        raise DomainError(
            N_("Each choice must be different and at most %(limit)s characters."),
            field=field,
            limit=CHOICE,
        )
    return choices


def check(assignment_in: AssignmentIn, *, meeting: Meeting, now: datetime) -> datetime:
    """Refuse an assignment that cannot be set; return its deadline."""
    _text(assignment_in.title, limit=HOMEWORK_TITLE, field="title", required=True)
    _text(assignment_in.introduction, limit=INTRODUCTION, field="introduction", required=False)
    if not 1 <= len(assignment_in.questions) <= MAX_HOMEWORK_QUESTIONS:
        raise DomainError(
            N_("Ask between 1 and %(most)s questions."),
            field="prompt_1",
            most=MAX_HOMEWORK_QUESTIONS,
        )
    for position, question in enumerate(assignment_in.questions, start=1):
        _text(question.prompt, limit=PROMPT, field=f"prompt_{position}", required=True)
        _choices(question, field=f"choices_{position}")
    deadline = assignment_in.deadline or default_deadline(meeting)
    assert meeting.starts_at is not None
    if not now < deadline < meeting.starts_at:
        raise DomainError(
            N_("The deadline must lie between now and the start of the meeting."),
            field="deadline",
        )
    return deadline


def set_assignment(
    session: Session,
    *,
    group_id: int,
    assignment_in: AssignmentIn,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> HomeworkAssignment:
    """Set homework for the group's next meeting; its invitations go out right after."""
    meeting = next_meeting(session, group_id=group_id, now=now)
    deadline = check(assignment_in, meeting=meeting, now=now)
    made = store(
        session, meeting=meeting, assignment_in=assignment_in, deadline=deadline, actor=actor,
        now=now,
    )  # fmt: skip
    if after is not None:
        # The flow queues the invitations now; the minute's delivery sends them.
        assert made.id is not None
        after.add(AdvanceHomework(made.id))
    return made


def store(
    session: Session,
    *,
    meeting: Meeting,
    assignment_in: AssignmentIn,
    deadline: datetime,
    actor: Actor,
    now: datetime,
) -> HomeworkAssignment:
    """Keep a checked assignment and its questions (the demo loads its own through here)."""
    assert meeting.id is not None
    assignment = HomeworkAssignment(
        meeting_id=meeting.id,
        title=assignment_in.title.strip(),
        introduction=assignment_in.introduction.strip(),
        mode=assignment_in.mode,
        deadline=deadline,
        set_by_id=actor.person_id,
        set_at=now,
    )
    audit.save(session, row=assignment, before=None, actor=actor, now=now)
    assert assignment.id is not None
    for position, question in enumerate(assignment_in.questions, start=1):
        row = HomeworkQuestion(
            assignment_id=assignment.id,
            position=position,
            kind=question.kind,
            prompt=question.prompt.strip(),
            choices=_choices(question, field=f"choices_{position}"),
        )
        audit.save(session, row=row, before=None, actor=actor, now=now)
    return assignment


def get(session: Session, *, assignment_id: int) -> HomeworkAssignment:
    """One assignment; an unknown id is NotFound."""
    return db.get_or_refuse(
        session,
        HomeworkAssignment,
        assignment_id,
        N_("Unknown homework assignment."),
        field="assignment",
    )


def in_group(session: Session, *, group_id: int, assignment_id: int) -> HomeworkAssignment:
    """An assignment of this group; another group's is unknown (404), as any other id."""
    found = get(session, assignment_id=assignment_id)
    if meetings.get(session, meeting_id=found.meeting_id).group_id != group_id:
        raise NotFound(N_("Unknown homework assignment."), field="assignment")
    return found


def questions(session: Session, *, assignment_id: int) -> list[HomeworkQuestion]:
    """An assignment's questions in their order."""
    return list(
        session.exec(
            select(HomeworkQuestion)
            .where(HomeworkQuestion.assignment_id == assignment_id)
            .order_by(col(HomeworkQuestion.position))
        )
    )


def of_group(session: Session, *, group_id: int) -> list[HomeworkAssignment]:
    """A group's assignments, newest deadline first."""
    return list(
        session.exec(
            select(HomeworkAssignment)
            .join(Meeting, col(Meeting.id) == HomeworkAssignment.meeting_id)
            .where(Meeting.group_id == group_id)
            .order_by(col(HomeworkAssignment.deadline).desc(), col(HomeworkAssignment.id).desc())
        )
    )


def open_ones(session: Session) -> list[HomeworkAssignment]:
    """Assignments whose feedback is not on the next agenda yet (the flow's work)."""
    return list(
        session.exec(
            select(HomeworkAssignment)
            .where(col(HomeworkAssignment.feedback_placed_at).is_(None))
            .order_by(col(HomeworkAssignment.deadline), col(HomeworkAssignment.id))
        )
    )


@dataclass(frozen=True)
class Listed:
    """An assignment on the group's homework page: its meeting and how many answered."""

    assignment: HomeworkAssignment
    meeting: Meeting
    answered: int
    asked: int


def listing(session: Session, *, group_id: int, now: datetime) -> list[Listed]:
    """The group's assignments, newest first, with their answer counts as they stand."""
    found = []
    for assignment in of_group(session, group_id=group_id):
        assert assignment.id is not None
        on = local_today(min(now, assignment.deadline))
        asked = {a.key for a in answerers.expected(session, assignment=assignment, on=on)}
        done = answerers.answered_keys(session, assignment_id=assignment.id)
        meeting = meetings.get(session, meeting_id=assignment.meeting_id)
        found.append(Listed(assignment, meeting, len(done), len(asked | done)))
    return found
