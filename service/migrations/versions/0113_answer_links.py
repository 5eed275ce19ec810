"""answer links: how a person comes (in person, online) and who stands in for them

Revision ID: 0113
Revises: 0110
Create Date: 2026-12-05 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0113'
down_revision: str | None = '0110'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mode', sa.Enum('in_person', 'online', name='attendmode', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('stand_in_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meeting_reply_stand_in_id'), ['stand_in_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_reply_stand_in_id_person'), 'person', ['stand_in_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_reply_stand_in_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meeting_reply_stand_in_id'))
        batch_op.drop_constraint(batch_op.f('ck_meeting_reply_attendmode'), type_='check')
        batch_op.drop_column('stand_in_id')
        batch_op.drop_column('mode')
