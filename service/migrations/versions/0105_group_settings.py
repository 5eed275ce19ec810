"""group settings: the calls' number of questions, the minutes' review days, public groups

Revision ID: 0105
Revises: 0104
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0105'
down_revision: str | None = '0104'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('call_max_questions', sa.Integer(), server_default='3', nullable=False)
        )
        batch_op.add_column(
            sa.Column('minutes_review_days', sa.Integer(), server_default='14', nullable=False)
        )
        batch_op.add_column(
            sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_working_group_call_max_questions'), 'call_max_questions BETWEEN 1 AND 10'
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_working_group_minutes_review_days'),
            'minutes_review_days BETWEEN 1 AND 60',
        )


def downgrade() -> None:
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_working_group_minutes_review_days'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_working_group_call_max_questions'), type_='check')
        batch_op.drop_column('is_public')
        batch_op.drop_column('minutes_review_days')
        batch_op.drop_column('call_max_questions')
