"""deliverable_tally: the directors' roll-up kept as deliverables change, counted once here

Revision ID: 0117
Revises: 0116
Create Date: 2026-12-05 20:50:00
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = '0117'
down_revision: str | None = '0116'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ('planned', 'in_progress', 'at_risk', 'blocked', 'delivered', 'dropped')
CLOSED = ('delivered', 'dropped')


def upgrade() -> None:
    tally = op.create_table(
        'deliverable_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_key', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='deliverablestatus', native_enum=False, create_constraint=True, length=11), nullable=False),
        sa.Column('due_day', sa.Date(), nullable=True),
        sa.Column('delivered_quarter', sa.Date(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable_tally')),
    )
    op.create_index('ix_deliverable_tally_key', 'deliverable_tally', ['programme_key', 'status', 'due_day', 'delivered_quarter'], unique=False)
    # Counted per day by the database, summed per key here (as service/reports/tally.py does).
    rows = op.get_bind().execute(sa.text(
        'SELECT coalesce(g.programme_id, 0), d.status, d.due_day, d.delivered_on, count(*)'
        ' FROM deliverable d JOIN working_group g ON g.id = d.group_id'
        ' GROUP BY coalesce(g.programme_id, 0), d.status, d.due_day, d.delivered_on'
    ))
    found: Counter[tuple[int, str, object, date | None]] = Counter()
    for programme_key, status, due_day, delivered_on, count in rows:
        if isinstance(delivered_on, str):  # SQLite hands back text
            delivered_on = date.fromisoformat(delivered_on)
        if isinstance(due_day, str):
            due_day = date.fromisoformat(due_day)
        quarter = None if delivered_on is None else date(delivered_on.year, 3 * ((delivered_on.month - 1) // 3) + 1, 1)
        found[(programme_key, status, None if status in CLOSED else due_day, quarter)] += count
    if found:
        op.bulk_insert(tally, [
            {'programme_key': k, 'status': s, 'due_day': d, 'delivered_quarter': q, 'count': n}
            for (k, s, d, q), n in found.items()
        ])


def downgrade() -> None:
    op.drop_index('ix_deliverable_tally_key', table_name='deliverable_tally')
    op.drop_table('deliverable_tally')
