"""The whole draft saved at once: places, titles, minutes and statuses, all or nothing."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest
from sqlmodel import Session

from models.agenda import AgendaCall, AgendaItem, AgendaItemStatus
from models.errors import DomainError
from service.agenda import drafts, review_list
from service.agenda.review_list import Row
from tests.conftest import table_counts
from tests.factories import ACTOR


def _draft(session: Session, now: datetime, call: AgendaCall) -> tuple[int, list[AgendaItem]]:
    assert call.id is not None
    version = drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=now)
    assert version.id is not None
    return version.meeting_id, drafts.items(session, version_id=version.id)


def _rows(items: list[AgendaItem]) -> list[Row]:
    rows = []
    for item in items:
        assert item.id is not None
        rows.append(Row(item.id, item.position, item.title, item.duration_minutes, item.status))
    return rows


def _stored(session: Session, meeting_id: int) -> list[tuple[object, ...]]:
    version = drafts.draft(session, meeting_id=meeting_id)
    assert version is not None and version.id is not None
    return [
        (i.id, i.position, i.title, i.duration_minutes, i.status)
        for i in drafts.items(session, version_id=version.id)
    ]


def test_one_save_moves_renames_times_and_sets_aside(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, items = _draft(session, now, closed_call)
    rows = _rows(items)
    assert len(rows) >= 5
    before = _stored(session, meeting_id)
    # Typing 2 on the fifth item moves it up; the items from place 2 on shift down by one.
    rows[4] = replace(rows[4], position=2, title="  Naar   voren ", minutes=35)
    rows[1] = replace(rows[1], status=AgendaItemStatus.dropped)
    review_list.save(
        session, meeting_id=meeting_id, rows=list(reversed(rows)), actor=ACTOR, now=now
    )
    order = [before[0], before[4], before[1], before[2], before[3], *before[5:]]
    expected = [(row[0], n, *row[2:]) for n, row in enumerate(order, 1)]
    expected[1] = (before[4][0], 2, "Naar voren", 35, before[4][4])
    expected[2] = (*expected[2][:4], AgendaItemStatus.dropped)
    assert _stored(session, meeting_id) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "has changed since the page was loaded"),
        ("twice", "has changed since the page was loaded"),
        ("unknown", "has changed since the page was loaded"),
        ("title", "Item 3 needs a title."),
        ("long", "The title of item 3 can be at most 300 characters long."),
        ("minutes", "Item 3: a duration must be between 0 and 600 minutes."),
        ("position", "A position must be between 1 and"),
    ],
)
def test_a_bad_list_is_refused_and_changes_nothing(
    session: Session, now: datetime, closed_call: AgendaCall, change: str, message: str
) -> None:
    meeting_id, items = _draft(session, now, closed_call)
    rows = _rows(items)
    # A good change in the same list, so a refusal visibly keeps it out too.
    rows[0] = replace(rows[0], title="Goedemorgen", minutes=3)
    edits: dict[str, Callable[[], object]] = {
        "missing": lambda: rows.pop(),
        "twice": lambda: rows.__setitem__(1, rows[0]),
        "unknown": lambda: rows.__setitem__(1, replace(rows[1], item_id=10**6)),
        "title": lambda: rows.__setitem__(2, replace(rows[2], title="   ")),
        "long": lambda: rows.__setitem__(2, replace(rows[2], title="x" * 301)),
        "minutes": lambda: rows.__setitem__(2, replace(rows[2], minutes=601)),
        "position": lambda: rows.__setitem__(2, replace(rows[2], position=len(rows) + 1)),
    }
    edits[change]()
    counts, before = table_counts(session), _stored(session, meeting_id)
    with pytest.raises(DomainError, match=message):
        review_list.save(session, meeting_id=meeting_id, rows=rows, actor=ACTOR, now=now)
    assert table_counts(session) == counts
    assert _stored(session, meeting_id) == before
