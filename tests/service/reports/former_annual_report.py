"""The annual report as it was built before issue 17, kept to prove the new one says the same.

Every meeting, postponement and deliverable of every year read and filtered in Python, one
published agenda per held meeting, and homework answerers asked assignment by assignment.
"""

from collections import Counter, defaultdict
from datetime import date

from sqlmodel import Session, col, select

from models.agenda import (
    AgendaCall,
    AgendaItemKind,
    AgendaItemStatus,
    Submission,
    SubmissionStatus,
)
from models.deliverables import Deliverable
from models.groups import GroupTheme
from models.homework import HomeworkAnswer, HomeworkAssignment
from models.meetings import Meeting, MeetingChange, MeetingChangeKind, MeetingKind, MeetingStatus
from models.programmes import Programme
from models.questions import HANDLED, QuestionFate, QuestionStatus
from service import formatting
from service.clock import BRUSSELS, local_today
from service.directory import groups, organisations
from service.homework import answerers
from service.minutes import minutes
from service.reports import question_counts
from service.reports.annual_report import GroupYear, Postponement, _local_year, _open_at
from service.reports.homework_counts import HomeworkYear, OrganisationHomework


def build(session: Session, *, year: int) -> list[GroupYear]:
    """The former annual_report.build, line for line."""
    programmes = {p.id: p.name for p in session.exec(select(Programme))}
    themes = {
        t.group_id: t.theme for t in session.exec(select(GroupTheme).where(GroupTheme.year == year))
    }
    report = {
        g.id: GroupYear(
            group=g, programme=programmes.get(g.programme_id), theme=themes.get(g.id or 0)
        )
        for g in groups.list_all(session)
    }
    # Ordered by id as the new build reads them (unordered before: the heap's order).
    for meeting in session.exec(select(Meeting).order_by(col(Meeting.id))).all():
        line = report[meeting.group_id]
        if _local_year(meeting) != year:
            continue
        if meeting.status is MeetingStatus.held:
            line.held.append(meeting)
            line.topics.extend(_topics(session, meeting))
        elif meeting.status is MeetingStatus.cancelled:
            line.cancelled.append(meeting)
    postponements = session.exec(
        select(MeetingChange, Meeting)
        .join(Meeting, col(Meeting.id) == MeetingChange.meeting_id)
        .where(MeetingChange.kind == MeetingChangeKind.postponed)
        .order_by(col(MeetingChange.changed_at), col(MeetingChange.id))
    ).all()
    for change, meeting in postponements:
        if change.old_starts_at is None or change.old_starts_at.astimezone(BRUSSELS).year != year:
            continue
        moved_to = (
            formatting.period(meeting.period_start, meeting.date_precision)
            if meeting.period_start is not None
            else formatting.instant(meeting.starts_at)
            if meeting.starts_at is not None
            else "onbekend"
        )
        report[meeting.group_id].postponed.append(
            Postponement(
                title=meeting.title,
                planned=change.old_starts_at.astimezone(BRUSSELS).date(),
                moved_to=moved_to,
                reason=change.reason,
            )
        )
        if meeting.status is MeetingStatus.postponed or _local_year(meeting) != year:
            report[meeting.group_id].carried_over.append(f"{meeting.title} ({moved_to})")
    year_end = date(year, 12, 31)
    for item in session.exec(select(Deliverable).order_by(col(Deliverable.id))).all():
        line = report[item.group_id]
        if item.delivered_on is not None and item.delivered_on.year == year:
            line.delivered.append(item)
        elif _open_at(item, year_end) and item.due_on.year >= year:
            due = formatting.period(item.due_on, item.due_precision)
            line.carried_over.append(f"{item.title} (voorzien {due})")
    for group_id, counted in _questions(session, year=year).items():
        report[group_id].questions = counted
    for line in report.values():
        by_title: dict[str, str] = {}
        for text in line.carried_over:
            by_title.setdefault(text.rsplit(" (", 1)[0], text)
        line.carried_over = list(by_title.values())
        line.held.sort(key=lambda m: m.starts_at or m.created_at)
        line.delivered.sort(key=lambda d: (d.delivered_on or year_end, d.title))
        line.topics = list(dict.fromkeys(line.topics))
    for group_id, homework in _homework_year(session, year=year).items():
        report[group_id].homework = homework
    return sorted(
        (
            line
            for line in report.values()
            if line.held
            or line.postponed
            or line.cancelled
            or line.delivered
            or line.questions.asked
            or line.homework
        ),
        key=lambda line: line.group.short_name.casefold(),
    )


def _topics(session: Session, meeting: Meeting) -> list[str]:
    assert meeting.id is not None
    items = [
        item.title
        for item in minutes.published_agenda(session, meeting_id=meeting.id)
        if item.kind is not AgendaItemKind.standing and item.status is not AgendaItemStatus.dropped
    ]
    if items:
        return items
    return [] if meeting.kind is MeetingKind.meeting else [meeting.title]


def _questions(session: Session, *, year: int) -> dict[int, question_counts.QuestionCounts]:
    """The former question_counts.per_group: every year's questions, the year kept in Python."""
    rows = session.exec(
        select(Submission.id, Meeting.group_id, Meeting.starts_at)
        .join(AgendaCall, col(AgendaCall.id) == Submission.call_id)
        .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
        .where(
            col(Submission.status) != SubmissionStatus.withdrawn,
            col(Meeting.starts_at).is_not(None),
        )
    ).all()
    group_of = {
        submission_id: group_id
        for submission_id, group_id, starts_at in rows
        if submission_id is not None
        and starts_at is not None
        and starts_at.astimezone(BRUSSELS).year == year
    }
    newest: dict[int, QuestionStatus] = {}
    for row in session.exec(
        select(QuestionFate)
        .where(col(QuestionFate.submission_id).in_(group_of))
        .order_by(col(QuestionFate.id))
    ):
        newest[row.submission_id] = row.status
    asked, handled, carried, unhandled = (
        Counter[int](),
        Counter[int](),
        Counter[int](),
        Counter[int](),
    )
    for submission_id, group_id in group_of.items():
        asked[group_id] += 1
        outcome = newest.get(submission_id)
        if outcome in HANDLED:
            handled[group_id] += 1
        elif outcome is QuestionStatus.carried_over:
            carried[group_id] += 1
        elif outcome is QuestionStatus.not_handled:
            unhandled[group_id] += 1
    return {
        g: question_counts.QuestionCounts(asked[g], handled[g], carried[g], unhandled[g])
        for g in asked
    }


def _homework_year(session: Session, *, year: int) -> dict[int, HomeworkYear]:
    """The former homework_counts.homework_year, asking each assignment's answerers apart."""
    rows = session.exec(
        select(HomeworkAssignment, Meeting.group_id)
        .join(Meeting, col(Meeting.id) == HomeworkAssignment.meeting_id)
        .order_by(col(HomeworkAssignment.id))
    ).all()
    counted: dict[int, int] = defaultdict(int)
    asked: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    answered: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for assignment, group_id in rows:
        if assignment.deadline.astimezone(BRUSSELS).year != year:
            continue
        assert assignment.id is not None
        counted[group_id] += 1
        day = local_today(assignment.deadline)
        for organisation in {
            a.organisation_id for a in answerers.expected(session, assignment=assignment, on=day)
        }:
            asked[group_id][organisation] += 1
        keys = answerers.answered_keys(session, assignment_id=assignment.id)
        for organisation in set(
            session.exec(
                select(HomeworkAnswer.organisation_id).where(
                    HomeworkAnswer.assignment_id == assignment.id,
                    col(HomeworkAnswer.answerer_key).in_(keys),
                )
            )
        ):
            answered[group_id][organisation] += 1
    names = organisations.names(
        session, ids={o for per in (asked, answered) for by in per.values() for o in by}
    )
    return {
        group_id: HomeworkYear(
            assignments=count,
            organisations=sorted(
                (
                    OrganisationHomework(
                        names[o],
                        max(asked[group_id][o], answered[group_id][o]),
                        answered[group_id][o],
                    )
                    for o in set(asked[group_id]) | set(answered[group_id])
                ),
                key=lambda line: line.organisation.casefold(),
            ),
        )
        for group_id, count in counted.items()
    }
