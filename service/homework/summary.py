"""The summary of an assignment: the grid of answers, counts, alike texts grouped, the silent.

Pure reading: built from the answers as they count now, so an accepted late answer is in it
the next time it is shown, exported or presented.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from statistics import mean, median
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.homework import (
    HomeworkAnswer,
    HomeworkAssignment,
    HomeworkQuestion,
    HomeworkRevision,
    QuestionKind,
)
from models.meetings import Meeting
from service.agenda import grouping, similarity, synthesis
from service.clock import local_today
from service.directory import organisations
from service.homework import answerers, answering, assignments, values
from service.meetings import meetings

_COUNTED_KINDS = (QuestionKind.yes_no, QuestionKind.one_choice, QuestionKind.several_choices)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label (a choice, yes/no, a city), its value, its share of the top."""

    label: str
    value: float
    percent: int


@dataclass(frozen=True)
class TextGroup:
    """Alike free-text answers, each with the city that gave it."""

    answers: tuple[tuple[str, str], ...]  # (city, text)


@dataclass(frozen=True)
class QuestionSummary:
    """One question's part of the summary."""

    question: HomeworkQuestion
    cells: tuple[tuple[str, Any], ...]  # (answerer, stored value or None), in grid order
    bars: tuple[Bar, ...]  # counts per option (yes/no, choices) or the numbers per city
    numbers: dict[str, float]  # count, min, max, mean, median (numbers only)
    groups: tuple[TextGroup, ...]  # free text only, largest group first


@dataclass(frozen=True)
class Summary:
    """An assignment summarised."""

    assignment: HomeworkAssignment
    meeting: Meeting
    group: WorkingGroup
    answered: tuple[str, ...]  # answerers whose answer counts, in grid order
    answer_ids: tuple[int, ...]  # their answers' ids, in the same order (file links)
    organisation_ids: tuple[int, ...]  # their organisations, in the same order (who downloads)
    silent: tuple[str, ...]  # answerers asked who gave nothing that counts
    questions: tuple[QuestionSummary, ...]


class Counted(NamedTuple):
    """An answer as it counts: whose organisation, the values, the answer's id."""

    organisation_id: int
    answers: dict[str, Any]
    answer_id: int


def counted_answers(session: Session, *, assignment_id: int) -> dict[str, Counted]:
    """Per answerer key: its organisation and the answers of the revision that counts."""
    answers = session.exec(
        select(HomeworkAnswer).where(HomeworkAnswer.assignment_id == assignment_id)
    ).all()
    revisions = session.exec(
        select(HomeworkRevision)
        .where(col(HomeworkRevision.answer_id).in_([a.id for a in answers]))
        .order_by(col(HomeworkRevision.id).desc())
    ).all()
    found = {}
    for answer in answers:
        counted = answering.counting([r for r in revisions if r.answer_id == answer.id])
        if counted is not None:
            assert answer.id is not None
            found[answer.answerer_key] = Counted(answer.organisation_id, counted.answers, answer.id)
    return found


def build(session: Session, *, assignment_id: int, now: datetime) -> Summary:
    """The summary as the answers count at `now`."""
    assignment = assignments.get(session, assignment_id=assignment_id)
    meeting = meetings.get(session, meeting_id=assignment.meeting_id)
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    asked = answerers.expected(
        session, assignment=assignment, on=local_today(min(now, assignment.deadline))
    )
    counted = counted_answers(session, assignment_id=assignment_id)
    labels = {a.key: a.label for a in asked}
    others = {
        k: c.organisation_id for k, c in counted.items() if k not in labels
    }  # left the group since
    names = organisations.names(session, ids=others.values())
    labels |= {k: names[o] for k, o in others.items()}
    answered = sorted(counted, key=lambda k: (labels[k].casefold(), k))
    silent = tuple(a.label for a in asked if a.key not in counted)
    parts = tuple(
        _question(q, [(labels[k], counted[k].answers.get(str(q.id))) for k in answered])
        for q in assignments.questions(session, assignment_id=assignment_id)
    )
    return Summary(
        assignment=assignment,
        meeting=meeting,
        group=group,
        answered=tuple(labels[k] for k in answered),
        answer_ids=tuple(counted[k].answer_id for k in answered),
        organisation_ids=tuple(counted[k].organisation_id for k in answered),
        silent=silent,
        questions=parts,
    )


def file_path(summary: Summary, *, index: int, question: HomeworkQuestion) -> str:
    """Where the file an answerer (by grid position) sent for a question is downloaded."""
    assignment = summary.assignment
    return (
        f"/groups/{summary.group.slug}/homework/{assignment.id}"
        f"/files/{summary.answer_ids[index]}/{question.id}"
    )


def _question(question: HomeworkQuestion, cells: list[tuple[str, Any]]) -> QuestionSummary:
    given = [(who, value) for who, value in cells if value is not None]
    bars: list[tuple[str, float]] = []
    numbers: dict[str, float] = {}
    groups: tuple[TextGroup, ...] = ()
    if question.kind in _COUNTED_KINDS:
        tally: Counter[str] = Counter()
        for _, value in given:
            tally.update(value if isinstance(value, list) else [values.shown(question, value)])
        options = (
            [values.YES, values.NO] if question.kind is QuestionKind.yes_no else question.choices
        )
        bars = [(option, float(tally[option])) for option in options]
    elif question.kind is QuestionKind.number:
        found = [float(v) for _, v in given]
        bars = [(who, float(v)) for who, v in given]
        if found:
            numbers = {
                "count": float(len(found)),
                "min": min(found),
                "max": max(found),
                "mean": round(mean(found), 2),
                "median": median(found),
            }
    elif question.kind is QuestionKind.text:
        groups = alike(given)
    top = max((abs(v) for _, v in bars), default=0.0)
    return QuestionSummary(
        question=question,
        cells=tuple(cells),
        bars=tuple(Bar(label, v, round(100 * abs(v) / top) if top else 0) for label, v in bars),
        numbers=numbers,
        groups=groups,
    )


def alike(given: list[tuple[str, Any]]) -> tuple[TextGroup, ...]:
    """Free-text answers grouped by the similarity used for agenda questions, largest first."""
    if not given:
        return ()
    questions = [
        synthesis.Question(id=i, text=str(text), rank=1, max_rank=1, member=who, organisation=i)
        for i, (who, text) in enumerate(given)
    ]
    matrix = similarity.vectors([q.text for q in questions])
    found = grouping.group(questions, [], matrix)
    grouped = [
        TextGroup(tuple((given[i][0], str(given[i][1])) for i in sorted(g.members)))
        for g in found
        if g.members
    ]
    return tuple(sorted(grouped, key=lambda g: (-len(g.answers), g.answers[0][0].casefold())))
