"""The open calls indexed by deadline (the work queue's calls closing within three days), and
the open meetings by group and start (each group's next meeting on the home page and overview)

The home page counts the calls that close within the horizon and sorts the first deadline's:
from this index it reads those calls alone, not every open call with its deadline from the
table (4,453 open calls at 1000x, 939 closing). The next meeting of the page's 100 groups is
read from the groups' meetings to come (about 600 at 1000x), not from every meeting the groups
ever had (about 7,000, most of them held).

Revision ID: 0122
Revises: 0121
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0122"
down_revision: str | None = "0121"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status = 'open'"
OPEN_MEETING = "status IN ('planned', 'confirmed', 'postponed')"


def upgrade() -> None:
    op.create_index(
        "ix_agenda_call_open_deadline",
        "agenda_call",
        ["deadline"],
        unique=False,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_meeting_open_group",
        "meeting",
        ["group_id", "starts_at"],
        unique=False,
        sqlite_where=sa.text(OPEN_MEETING),
        postgresql_where=sa.text(OPEN_MEETING),
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_open_group", table_name="meeting")
    op.drop_index("ix_agenda_call_open_deadline", table_name="agenda_call")
