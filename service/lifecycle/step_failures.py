"""A meeting whose automatic steps failed: recorded on the meeting, listed for the secretariat."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from models.groups import WorkingGroup
from models.meetings import STEP_ERROR_MAX_LENGTH, Meeting

# The secretariat's home lists this many at most, the newest first.
LISTED = 50


@dataclass(frozen=True)
class StepFailure:
    """One meeting whose steps failed at its last attempt."""

    meeting_id: int
    title: str
    group_slug: str
    error: str
    failed_at: datetime


def describe(error: BaseException) -> str:
    """The failure as one line for the secretariat: the kind of error and its message."""
    message = str(error).strip()
    text = f"{type(error).__name__}: {message.splitlines()[0]}" if message else type(error).__name__
    return text[:STEP_ERROR_MAX_LENGTH]


def record(session: Session, *, meeting_id: int, error: BaseException, now: datetime) -> None:
    """Remember that this meeting's steps failed; a later run that gets through clears it.

    A Core update of two columns: the meeting's row may be the very thing that cannot load.
    """
    session.execute(
        sa.update(Meeting)
        .where(col(Meeting.id) == meeting_id)
        .values(step_error=describe(error), step_failed_at=now)
    )


def listed(session: Session) -> list[StepFailure]:
    """The meetings whose steps are failing, newest failure first (columns only, no rows)."""
    rows = session.execute(
        sa.select(
            col(Meeting.id),
            col(Meeting.title),
            col(WorkingGroup.slug),
            col(Meeting.step_error),
            col(Meeting.step_failed_at),
        )
        .join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
        .where(col(Meeting.step_failed_at).is_not(None))
        .order_by(col(Meeting.step_failed_at).desc(), col(Meeting.id))
        .limit(LISTED)
    )
    return [
        StepFailure(meeting_id, title, slug, error or "", failed_at)
        for meeting_id, title, slug, error, failed_at in rows
    ]
