"""Prepare a generated organisation so that exactly N lifecycle steps are due at an instant.

A step is one unit of `advance.AdvanceReport.counts()`: a call opened, a mail queued, a meeting
marked held, a sheet prefilled. The generated organisation has steps due at its `now` (calls to
open and their mails, reminders, invitations, meetings to mark held, minutes reminders). Each
meeting the due look-up returns is advanced by the real unit of work (`advance_meeting`): in
id order, a meeting whose steps still fit in N is rolled back (it stays due, and its steps are
counted), every other one is committed (caught up: nothing left to do). If the organisation
has fewer than N steps due (1x has a few hundred), meetings held beyond the minutes reminders'
window are set back to planned, as if advance-meetings had been down when they ended: each then
has one step due, being marked held (counted the same way, by the real unit of work).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.meetings import Meeting, MeetingStatus
from service.lifecycle import advance, due
from service.settings import Settings

# Set back to planned only meetings that ended well before the minutes reminders' window, so
# that marking them held is their only step.
BACKLOG_BEFORE = due.HELD_WINDOW + timedelta(days=7)


@dataclass
class Prepared:
    """What the preparation left due, and what it did to get there."""

    target: int
    kept: dict[int, int] = field(default_factory=dict)  # meeting id -> its steps due
    kinds: Counter[str] = field(default_factory=Counter)  # the steps due, by kind
    looked_at: int = 0  # meetings the due look-up returned
    caught_up_meetings: int = 0
    caught_up_steps: int = 0
    set_back: int = 0  # meetings held long ago set back to planned

    def summary(self) -> str:
        """In one line, for the runner's progress and results."""
        kinds = ", ".join(f"{k} {v}" for k, v in self.kinds.most_common())
        return (
            f"{self.due} steps due over {len(self.kept)} meetings ({kinds}); of the"
            f" {self.looked_at} meetings looked at, {self.caught_up_meetings} caught up"
            f" ({self.caught_up_steps} steps done); {self.set_back} held long ago set back"
        )

    @property
    def due(self) -> int:
        """The steps left due."""
        return sum(self.kept.values())


def fits(steps: int, room: int) -> bool:
    """Whether a meeting with `steps` due is kept due when `room` steps are still wanted."""
    return 0 < steps <= room


def choose(counts: Iterable[tuple[int, int]], target: int) -> dict[int, int]:
    """Of (meeting, steps) in order, the meetings kept due: each one whose steps still fit."""
    kept: dict[int, int] = {}
    room = target
    for meeting_id, steps in counts:
        if fits(steps, room):
            kept[meeting_id] = steps
            room -= steps
    return kept


def steps(report: advance.AdvanceReport) -> int:
    """The steps one run did, from its report."""
    return sum(report.counts().values())


def prepare(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    target: int,
    progress: Callable[[str], None] = lambda _: None,
) -> Prepared:
    """Leave exactly `target` steps due at `now` (see the module's docstring); commits."""
    prepared = Prepared(target=target)
    with Session(engine) as session:
        ids = due.due_meeting_ids(session, now=now, settings=settings)
    prepared.looked_at = len(ids)
    for n, meeting_id in enumerate(ids, 1):
        with Session(engine) as session:
            report = advance.advance_meeting(
                session, meeting_id=meeting_id, now=now, settings=settings
            )
            found = steps(report)
            if fits(found, target - prepared.due):
                session.rollback()
                prepared.kept[meeting_id] = found
                prepared.kinds.update({k: v for k, v in report.counts().items() if v})
            else:
                session.commit()
                prepared.caught_up_meetings += 1
                prepared.caught_up_steps += found
        if n % 500 == 0:
            progress(f"due steps: {n} of {len(ids)} meetings looked at, {prepared.due} kept")
    if prepared.due < target:
        _set_back(engine, now=now, settings=settings, prepared=prepared)
    if prepared.due != target:
        raise RuntimeError(f"{prepared.due} steps due, not {target}: {prepared}")
    progress(f"due steps: {prepared.due} due over {len(prepared.kept)} meetings")
    return prepared


def _set_back(engine: Engine, *, now: datetime, settings: Settings, prepared: Prepared) -> None:
    """Fill the rest with meetings held long ago set back to planned (one step each)."""
    with Session(engine) as session:
        candidates = list(
            session.exec(
                select(Meeting.id)
                .where(
                    Meeting.status == MeetingStatus.held,
                    col(Meeting.ends_at) < now - BACKLOG_BEFORE,
                )
                .order_by(col(Meeting.ends_at).desc())
                .limit(2 * (prepared.target - prepared.due) + 100)
            )
        )
    for meeting_id in candidates:
        if prepared.due == prepared.target or meeting_id is None:
            break
        with Session(engine) as session:
            _planned(session, meeting_id)
            report = advance.advance_meeting(
                session, meeting_id=meeting_id, now=now, settings=settings
            )
            session.rollback()  # counted; set back for real below only if it fits
        found = steps(report)
        if not fits(found, prepared.target - prepared.due):
            continue
        with Session(engine) as session:
            _planned(session, meeting_id)
            session.commit()
        prepared.kept[meeting_id] = found
        prepared.kinds.update({k: v for k, v in report.counts().items() if v})
        prepared.set_back += 1


def _planned(session: Session, meeting_id: int) -> None:
    session.execute(
        sa.update(Meeting).where(col(Meeting.id) == meeting_id).values(status=MeetingStatus.planned)
    )
