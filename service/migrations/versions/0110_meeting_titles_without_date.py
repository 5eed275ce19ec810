"""meeting titles without their date: planning's "GDPR – 12 januari 2027" becomes "GDPR"

Pages and mails now show a meeting's day from its time, so a title that carries the day goes
stale when the meeting moves. Only titles planning wrote are touched: a meeting of a series
whose title ends in " – " and the Dutch day of its occurrence, exactly as planning wrote it.

Revision ID: 0110
Revises: 0114
Create Date: 2026-12-05 14:20:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = '0110'
down_revision: str | None = '0114'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: the migration must keep meaning what planning wrote back then
# (babel's nl_BE "d MMMM y").
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

_MEETING = sa.table(
    "meeting",
    sa.column("id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("series_id", sa.Integer),
    sa.column("occurrence_date", sa.Date),
)


def planned_suffix(day: date) -> str:
    """The suffix planning put after the group's short name: ' – 12 januari 2027'."""
    return f" – {day.day} {_MONTHS[day.month - 1]} {day.year}"


def stripped(title: str, day: date) -> str | None:
    """The title without planning's date, or None when planning did not write this title."""
    suffix = planned_suffix(day)
    if title.endswith(suffix) and len(title) > len(suffix):
        return title[: -len(suffix)].strip() or None
    return None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_MEETING.c.id, _MEETING.c.title, _MEETING.c.occurrence_date).where(
            _MEETING.c.series_id.is_not(None), _MEETING.c.occurrence_date.is_not(None)
        )
    ).all()
    for meeting_id, title, day in rows:
        if isinstance(day, str):  # SQLite may hand a DATE back as its text
            day = date.fromisoformat(day)
        new = stripped(title, day)
        if new is not None:
            connection.execute(
                sa.update(_MEETING).where(_MEETING.c.id == meeting_id).values(title=new)
            )


def downgrade() -> None:
    # The date is shown from the meeting's time, so going back needs no stale copy of it.
    pass
