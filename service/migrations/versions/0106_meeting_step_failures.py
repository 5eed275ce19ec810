"""meeting step failures and the indexes the advance flow looks its due meetings up by

Revision ID: 0106
Revises: 0105
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0106"
down_revision: str | None = '0105'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_error", sa.String(length=1000), nullable=True))
        batch_op.add_column(
            sa.Column("step_failed_at", models.base.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_meeting_step_failed_at", "meeting", ["step_failed_at"])
    op.create_index("ix_meeting_status_ends_at", "meeting", ["status", "ends_at"])
    op.create_index("ix_agenda_call_status", "agenda_call", ["status"])


def downgrade() -> None:
    op.drop_index("ix_agenda_call_status", table_name="agenda_call")
    op.drop_index("ix_meeting_status_ends_at", table_name="meeting")
    op.drop_index("ix_meeting_step_failed_at", table_name="meeting")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("step_failed_at")
        batch_op.drop_column("step_error")
