"""A question's path: derived from the submission and the published agendas, plus what was recorded.

"Waiting" starts when the question is sent; "on the agenda" when a published agenda first
carries an item built from it; a withdrawal is the submission's own state; outcomes are the
question_fate rows the minutes wrote. The current status is the last step.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.agenda import (
    AgendaCall,
    AgendaItem,
    AgendaItemSource,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
    Submission,
    SubmissionStatus,
)
from models.meetings import Meeting
from models.questions import QuestionFate, QuestionStatus
from service.agenda import submissions

PUBLISHED = (AgendaVersionStatus.published, AgendaVersionStatus.superseded)


@dataclass(frozen=True)
class Step:
    """One step of a question's path: what, when, who, and at which meeting and item."""

    status: QuestionStatus
    at: datetime
    by_id: int | None
    meeting_id: int | None
    item_id: int | None = None
    item_title: str | None = None
    note: str | None = None
    deliverable_id: int | None = None
    # Why, for a step nobody wrote: "not_on_agenda", "no_outcome", "moved" or "declined".
    reason: str | None = None


@dataclass(frozen=True)
class Path:
    """A question and every step it took, oldest first."""

    submission: Submission
    steps: list[Step]

    @property
    def status(self) -> QuestionStatus:
        """Where the question stands now."""
        return self.steps[-1].status

    @property
    def last(self) -> Step:
        """The newest step."""
        return self.steps[-1]


def _placed(session: Session, ids: list[int]) -> dict[int, list[tuple[AgendaVersion, AgendaItem]]]:
    """Per submission, the published items built from it, with their version, oldest first."""
    found: dict[int, list[tuple[AgendaVersion, AgendaItem]]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = session.exec(
        select(AgendaItemSource.submission_id, AgendaVersion, AgendaItem)
        .join(AgendaItem, col(AgendaItem.id) == AgendaItemSource.item_id)
        .join(AgendaVersion, col(AgendaVersion.id) == AgendaItem.version_id)
        .where(
            col(AgendaItemSource.submission_id).in_(ids),
            col(AgendaVersion.status).in_(PUBLISHED),
        )
        .order_by(col(AgendaVersion.published_at), col(AgendaVersion.id))
    )
    for submission_id, version, item in rows:
        found[submission_id].append((version, item))
    return found


def _recorded(session: Session, ids: list[int]) -> dict[int, list[QuestionFate]]:
    found: dict[int, list[QuestionFate]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = session.exec(
        select(QuestionFate)
        .where(col(QuestionFate.submission_id).in_(ids))
        .order_by(col(QuestionFate.id))
    )
    for row in rows:
        found[row.submission_id].append(row)
    return found


def _meeting_of(submission: Submission, meeting_of_call: dict[int, int]) -> int | None:
    return submission.parked_for_meeting_id or meeting_of_call.get(submission.call_id)


def _derived(
    submission: Submission,
    placed: list[tuple[AgendaVersion, AgendaItem]],
    meeting_id: int | None,
) -> list[Step]:
    steps = [
        Step(QuestionStatus.waiting, submission.submitted_at, submission.person_id, meeting_id)
    ]
    seen: set[int] = set()
    for version, item in placed:
        # The first publication per meeting that puts it on the agenda; later ones repeat it.
        if item.status is not AgendaItemStatus.accepted or version.meeting_id in seen:
            continue
        seen.add(version.meeting_id)
        assert version.published_at is not None
        steps.append(
            Step(
                QuestionStatus.on_agenda,
                version.published_at,
                version.published_by_id,
                version.meeting_id,
                item_id=item.id,
                item_title=item.title,
            )
        )
    if submission.status is SubmissionStatus.withdrawn:
        steps.append(
            Step(QuestionStatus.withdrawn, submission.updated_at, submission.person_id, meeting_id)
        )
    elif submission.status is SubmissionStatus.declined:
        steps.append(
            Step(
                QuestionStatus.not_handled,
                submission.updated_at,
                None,
                meeting_id,
                reason="declined",
            )
        )
    return steps


def why(row: QuestionFate, item: AgendaItem | None) -> str | None:
    """Why a step nobody wrote happened: "moved", "not_on_agenda" or "no_outcome"."""
    if not row.automatic:
        return None
    if row.status is QuestionStatus.carried_over:
        return "moved"
    if item is None or item.status is not AgendaItemStatus.accepted:
        return "not_on_agenda"
    return "no_outcome"


def _step(row: QuestionFate, titles: dict[int, AgendaItem]) -> Step:
    item = titles.get(row.agenda_item_id) if row.agenda_item_id else None
    reason = why(row, item)
    return Step(
        row.status,
        row.recorded_at,
        row.recorded_by_id,
        row.meeting_id,
        item_id=row.agenda_item_id,
        item_title=item.title if item else None,
        note=row.note,
        deliverable_id=row.deliverable_id,
        reason=reason,
    )


def paths(
    session: Session, submissions: Iterable[Submission], *, meeting_of_call: dict[int, int]
) -> list[Path]:
    """The path of each submission, in the order given; `meeting_of_call` maps call to meeting."""
    rows = list(submissions)
    ids = [s.id for s in rows if s.id is not None]
    placed, recorded = _placed(session, ids), _recorded(session, ids)
    item_ids = {r.agenda_item_id for rs in recorded.values() for r in rs if r.agenda_item_id}
    items = {
        i.id: i
        for i in session.exec(select(AgendaItem).where(col(AgendaItem.id).in_(item_ids)))
        if i.id is not None
    }
    found = []
    for submission in rows:
        assert submission.id is not None
        steps = _derived(
            submission, placed[submission.id], _meeting_of(submission, meeting_of_call)
        )
        steps += [_step(r, items) for r in recorded[submission.id]]
        found.append(Path(submission, sorted(steps, key=lambda s: s.at)))
    return found


def meeting_of_calls(session: Session, *, call_ids: Iterable[int]) -> dict[int, int]:
    """The meeting of each call."""
    wanted = set(call_ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(AgendaCall.id, AgendaCall.meeting_id).where(col(AgendaCall.id).in_(wanted))
    )
    return {call_id: meeting_id for call_id, meeting_id in rows if call_id is not None}


def for_group(session: Session, *, group_id: int, person_id: int | None = None) -> list[Path]:
    """Every question sent for a group's meetings (or one member's), oldest first, with its path."""
    if person_id is None:
        rows = submissions.for_group(session, group_id=group_id)
    else:  # one member's, asked in the database: the form opens this on every visit
        rows = list(
            session.exec(
                select(Submission)
                .join(AgendaCall, col(AgendaCall.id) == Submission.call_id)
                .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
                .where(Meeting.group_id == group_id, Submission.person_id == person_id)
                .order_by(col(Submission.id))
            )
        )
    calls = meeting_of_calls(session, call_ids={s.call_id for s in rows})
    return paths(session, rows, meeting_of_call=calls)
