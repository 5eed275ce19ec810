"""agenda item key: the same item across the versions of a meeting's agenda

Revision ID: 0005
Revises: 0007
Create Date: 2026-11-22 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_key', sa.Integer(), nullable=True))
    # Items written before this revision are each their own item.
    op.execute('UPDATE agenda_item SET item_key = id')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.alter_column('item_key', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_agenda_item_version_id_item_key'), ['version_id', 'item_key']
        )


def downgrade() -> None:
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_agenda_item_version_id_item_key'), type_='unique')
        batch_op.drop_column('item_key')
