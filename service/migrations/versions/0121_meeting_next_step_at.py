"""meeting.next_step_at, indexed: when advance-meetings must look at a meeting again, so the
due look-up reads the meetings whose next step has come instead of every meeting to come

Left NULL here ("not known yet"): the next run looks once at each meeting that the former
look-up returns (those to come within the calls' horizon, under way, just held...) and sets
its time; history is never looked at, exactly as before. Computing it here would need the
whole step logic (and the settings) inside a migration.

The column holds an instant of the flow's bookkeeping, nothing about a person: the personal
data export and erasure, the audit (left out of its snapshots) and the demo data have nothing
to do with it.

Revision ID: 0121
Revises: 0120
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0121"
down_revision: str | None = "0120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(
            sa.Column("next_step_at", models.base.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_meeting_next_step_at", "meeting", ["next_step_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_meeting_next_step_at", table_name="meeting")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("next_step_at")
