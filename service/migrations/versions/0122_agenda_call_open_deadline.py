"""The open calls indexed by deadline (the work queue's calls closing within three days)

The home page counts the calls that close within the horizon and sorts the first deadline's:
from this index it reads those calls alone, not every open call with its deadline from the
table (4,453 open calls at 1000x, 939 closing).

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


def upgrade() -> None:
    op.create_index(
        "ix_agenda_call_open_deadline",
        "agenda_call",
        ["deadline"],
        unique=False,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_agenda_call_open_deadline", table_name="agenda_call")
