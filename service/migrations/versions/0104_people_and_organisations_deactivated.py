"""people and organisations can be deactivated: their history stays, mail and feeds stop

Revision ID: 0104
Revises: 0103
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0104'
down_revision: str | None = '0103'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('person', 'organisation'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('deactivated_at', models.base.UtcDateTime(timezone=True), nullable=True)
            )


def downgrade() -> None:
    for table in ('person', 'organisation'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('deactivated_at')
