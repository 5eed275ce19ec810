"""the Prefect run booked to close a call at its deadline

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "close_flow_run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("agenda_call", schema=None) as batch_op:
        batch_op.drop_column("close_flow_run_id")
