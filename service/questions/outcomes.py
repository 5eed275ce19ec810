"""What the meeting did with the questions behind each agenda item, written with the minutes.

The secretariat (or the chair) sets one outcome per item for all the questions behind it, for
one item or the whole meeting in one save; all of it is checked before anything is written.
A changed outcome adds a row to each question's path; an unchanged one adds nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaItemStatus, Submission
from models.deliverables import Deliverable
from models.errors import N_, DomainError
from models.minutes import MinutesStatus, MinutesVersion
from models.organisations import Organisation
from models.questions import FATE_NOTE_MAX_LENGTH, OUTCOMES, QuestionFate, QuestionStatus
from service import audit
from service.agenda import drafts
from service.audit import Actor
from service.deliverables import deliverables
from service.meetings import meetings

# The note an outcome needs, and the message when it is missing.
_NOTE_NEEDED = {
    QuestionStatus.answered: N_("Write the short answer the meeting gave."),
    QuestionStatus.not_handled: N_("Say why the questions were not handled."),
}


@dataclass(frozen=True)
class Choice:
    """The outcome chosen for the questions behind one item."""

    item_id: int
    outcome: str  # a QuestionStatus among OUTCOMES; checked here, as typed on the page
    note: str | None = None
    deliverable_id: int | None = None


@dataclass(frozen=True)
class _Checked:
    item_id: int
    outcome: QuestionStatus
    note: str | None
    deliverable_id: int | None


@dataclass(frozen=True)
class Asked:
    """A question behind an item, with the organisation that sent it."""

    submission: Submission
    organisation: str


@dataclass(frozen=True)
class ItemOutcome:
    """One item of the published agenda, the questions behind it and their recorded outcome."""

    item: AgendaItem
    questions: list[Asked]
    outcome: QuestionFate | None  # the newest outcome written for them at this meeting


@dataclass(frozen=True)
class Editor:
    """The outcome editor of a meeting: its items, the group's deliverables, and if it is open."""

    items: list[ItemOutcome]
    deliverables: list[Deliverable]
    open: bool  # minutes exist and are not approved yet


def behind_items(session: Session, *, meeting_id: int) -> list[tuple[AgendaItem, list[Submission]]]:
    """The items of the newest published agenda built from questions, in order, with them."""
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None or version.id is None:
        return []
    rows = drafts.items(session, version_id=version.id)
    linked = drafts.sources(session, item_ids=[r.id for r in rows if r.id is not None])
    return [(r, linked[r.id]) for r in rows if r.id is not None and linked[r.id]]


def latest(session: Session, *, meeting_id: int, ids: list[int]) -> dict[int, QuestionFate]:
    """The newest outcome recorded at a meeting, per submission."""
    found: dict[int, QuestionFate] = {}
    for row in session.exec(
        select(QuestionFate)
        .where(QuestionFate.meeting_id == meeting_id, col(QuestionFate.submission_id).in_(ids))
        .order_by(col(QuestionFate.id))
    ):
        found[row.submission_id] = row
    return found


def editor(session: Session, *, meeting_id: int) -> Editor:
    """The items on the agenda that questions led to, and what is recorded for them."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    on_agenda = [
        (item, asked)
        for item, asked in behind_items(session, meeting_id=meeting_id)
        if item.status is AgendaItemStatus.accepted
    ]
    ids = [s.id for _, asked in on_agenda for s in asked if s.id is not None]
    recorded = latest(session, meeting_id=meeting_id, ids=ids)
    names = {
        o.id: o.name
        for o in session.exec(
            select(Organisation).where(
                col(Organisation.id).in_({s.organisation_id for _, a in on_agenda for s in a})
            )
        )
    }
    items = [
        ItemOutcome(
            item=item,
            questions=[Asked(s, names.get(s.organisation_id, "")) for s in asked],
            outcome=next((recorded[s.id] for s in asked if s.id in recorded), None),
        )
        for item, asked in on_agenda
    ]
    return Editor(
        items=items,
        deliverables=deliverables.for_group(session, group_id=meeting.group_id),
        open=_open_minutes(session, meeting_id=meeting_id) is None,
    )


def _open_minutes(session: Session, *, meeting_id: int) -> str | None:
    """Why outcomes cannot be written now, or None when the minutes are open for it."""
    # Read here rather than through service.minutes, which calls this package at approval.
    found = session.exec(
        select(MinutesVersion.status).where(MinutesVersion.meeting_id == meeting_id)
    ).all()
    if not found:
        return N_("Start the minutes first: outcomes are written with them.")
    if not any(status in (MinutesStatus.draft, MinutesStatus.in_review) for status in found):
        return N_("These minutes are approved. Make a correction to change the outcomes.")
    return None


def _checked(
    choice: Choice, items: dict[int, list[Submission]], group_id: int, session: Session
) -> _Checked:
    field = f"outcome_{choice.item_id}"
    if choice.item_id not in items:
        raise DomainError(
            N_("This item is not on the meeting's agenda, or no question led to it."), field=field
        )
    outcome = next((o for o in OUTCOMES if o.value == choice.outcome), None)
    if outcome is None:
        raise DomainError(N_("Choose one of the outcomes offered."), field=field)
    note = (choice.note or "").strip() or None
    if note is not None and len(note) > FATE_NOTE_MAX_LENGTH:
        raise DomainError(
            N_("A note can be at most %(max)s characters long."),
            field=f"note_{choice.item_id}",
            max=FATE_NOTE_MAX_LENGTH,
        )
    if note is None and outcome in _NOTE_NEEDED:
        raise DomainError(_NOTE_NEEDED[outcome], field=f"note_{choice.item_id}")
    deliverable_id = None
    if outcome is QuestionStatus.deliverable:
        found = session.get(Deliverable, choice.deliverable_id) if choice.deliverable_id else None
        if found is None or found.group_id != group_id:
            raise DomainError(
                N_("Choose the deliverable of this group the questions led to."),
                field=f"deliverable_{choice.item_id}",
            )
        deliverable_id = found.id
    return _Checked(choice.item_id, outcome, note, deliverable_id)


def record(
    session: Session, *, meeting_id: int, choices: list[Choice], actor: Actor, now: datetime
) -> int:
    """Write the outcome of each chosen item for every question behind it; return rows added.

    Refused as a whole, with nothing written, when one choice is wrong.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    if (why := _open_minutes(session, meeting_id=meeting_id)) is not None:
        raise DomainError(why, field="minutes")
    if not choices:
        raise DomainError(N_("Choose an outcome for at least one item."), field="outcomes")
    items = {
        item.id: asked
        for item, asked in behind_items(session, meeting_id=meeting_id)
        if item.id is not None and item.status is AgendaItemStatus.accepted
    }
    if len({c.item_id for c in choices}) != len(choices):
        raise DomainError(N_("Each item can have only one outcome."), field="outcomes")
    checked = [_checked(c, items, meeting.group_id, session) for c in choices]
    added = 0
    with session.begin_nested():
        for choice in checked:
            asked = items[choice.item_id]
            known = latest(session, meeting_id=meeting_id, ids=[s.id for s in asked if s.id])
            for submission in asked:
                assert submission.id is not None
                if _same(known.get(submission.id), choice):
                    continue
                row = QuestionFate(
                    submission_id=submission.id,
                    asker_id=submission.person_id,
                    meeting_id=meeting_id,
                    agenda_item_id=choice.item_id,
                    status=choice.outcome,
                    note=choice.note,
                    deliverable_id=choice.deliverable_id,
                    recorded_at=now,
                    recorded_by_id=actor.person_id,
                )
                audit.save(session, row=row, before=None, actor=actor, now=now)
                added += 1
    return added


def _same(row: QuestionFate | None, choice: _Checked) -> bool:
    return (
        row is not None
        and not row.automatic
        and (row.status, row.note, row.deliverable_id)
        == (choice.outcome, choice.note, choice.deliverable_id)
    )
