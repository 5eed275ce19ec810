"""Save the whole draft agenda at once: every item's place, title, minutes and status.

The review page shows the draft as one table with one save; this is the use case behind it
(and behind the API's PUT of the list). Everything is checked before anything is written, and
the writes happen in one savepoint, so a refusal changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.agenda import AgendaItem, AgendaItemStatus
from models.errors import N_, DomainError
from service import audit
from service.agenda import drafts, review, synthesis
from service.audit import Actor


@dataclass(frozen=True)
class Row:
    """One row of the table as the person sent it."""

    item_id: int
    position: int
    title: str
    minutes: int
    status: AgendaItemStatus


def save(
    session: Session, *, meeting_id: int, rows: list[Row], actor: Actor, now: datetime
) -> list[AgendaItem]:
    """Save every item's place, title, minutes and status in one go, or refuse and keep all.

    Places are numbers 1..n; two rows may give the same number, then the row whose number
    changed goes first, so typing 2 on the fifth item moves it up and shifts the others.
    """
    version = review.require_draft(session, meeting_id=meeting_id)
    assert version.id is not None
    items = drafts.items(session, version_id=version.id)
    by_id = {item.id: item for item in items if item.id is not None}
    sent = [row.item_id for row in rows]
    if sorted(sent) != sorted(by_id) or len(set(sent)) != len(sent):
        raise DomainError(
            N_("The agenda has changed since the page was loaded. Reload it and save again."),
            field="items",
        )
    checked = [_checked(row, places=len(items)) for row in rows]
    with session.begin_nested():
        for row in checked:
            _apply(session, by_id[row.item_id], row, actor=actor, now=now)
        order = sorted(
            checked,
            key=lambda r: (r.position, r.position == (old := by_id[r.item_id].position), old),
        )
        review.renumber(session, [by_id[r.item_id] for r in order], actor=actor, now=now)
    return drafts.items(session, version_id=version.id)


def _checked(row: Row, *, places: int) -> Row:
    """The row with its title tidied, or a refusal naming the row's place."""
    title = " ".join(row.title.split())
    if not title:
        raise DomainError(N_("Item %(place)s needs a title."), field="title", place=row.position)
    if len(title) > review.TITLE_MAX:
        raise DomainError(
            N_("The title of item %(place)s can be at most %(max)s characters long."),
            field="title",
            place=row.position,
            max=review.TITLE_MAX,
        )
    if not 0 <= row.minutes <= 600:
        raise DomainError(
            N_("Item %(place)s: a duration must be between 0 and 600 minutes."),
            field="duration_minutes",
            place=row.position,
        )
    if not 1 <= row.position <= places:
        raise DomainError(
            N_("A position must be between 1 and %(max)s."), field="position", max=places
        )
    return Row(row.item_id, row.position, title, row.minutes, row.status)


def _apply(session: Session, item: AgendaItem, row: Row, *, actor: Actor, now: datetime) -> None:
    """Write a row's title, minutes and status; its place comes with the renumbering."""
    minutes = row.minutes
    # As with a single change: an item put on the agenda with no time gets the default time.
    if row.status is review.ON_AGENDA and minutes == 0 and item.status is not review.ON_AGENDA:
        minutes = synthesis.topic_minutes(1)
    if (item.title, item.duration_minutes, item.status) == (row.title, minutes, row.status):
        return
    with audit.changing(session, item, actor=actor, now=now):
        item.title, item.duration_minutes, item.status = row.title, minutes, row.status
