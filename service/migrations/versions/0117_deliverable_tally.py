"""deliverable_tally: the directors' roll-up kept as deliverables change, counted once here

Revision ID: 0117
Revises: 0116
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0117'
down_revision: str | None = '0116'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ('planned', 'in_progress', 'at_risk', 'blocked', 'delivered', 'dropped')


def upgrade() -> None:
    op.create_table(
        'deliverable_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_key', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='deliverablestatus', native_enum=False, create_constraint=True, length=11), nullable=False),
        sa.Column('due_day', sa.Date(), nullable=False),
        sa.Column('delivered_on', sa.Date(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable_tally')),
    )
    op.create_index('ix_deliverable_tally_key', 'deliverable_tally', ['programme_key', 'status', 'due_day', 'delivered_on'], unique=False)
    op.execute(
        'INSERT INTO deliverable_tally (programme_key, status, due_day, delivered_on, count)'
        ' SELECT coalesce(g.programme_id, 0), d.status, d.due_day, d.delivered_on, count(*)'
        ' FROM deliverable d JOIN working_group g ON g.id = d.group_id'
        ' GROUP BY coalesce(g.programme_id, 0), d.status, d.due_day, d.delivered_on'
    )


def downgrade() -> None:
    op.drop_index('ix_deliverable_tally_key', table_name='deliverable_tally')
    op.drop_table('deliverable_tally')
