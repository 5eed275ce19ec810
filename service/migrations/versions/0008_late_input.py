"""late input: questions sent after the deadline, kept apart for the secretariat

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ('active', 'withdrawn', 'parked')
_NEW = (*_OLD, 'late', 'declined')


def _status_check(values: tuple[str, ...]) -> str:
    listed = ', '.join(f"'{value}'" for value in values)
    return f'status IN ({listed})'


def upgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('received_late', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_constraint(
            batch_op.f('uq_submission_call_id_person_id_rank'), type_='unique'
        )
        batch_op.drop_constraint(batch_op.f('ck_submission_submissionstatus'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_submission_submissionstatus'), _status_check(_NEW)
        )
    op.create_index(
        'uq_submission_on_time_rank',
        'submission',
        ['call_id', 'person_id', 'rank'],
        unique=True,
        sqlite_where=sa.text('NOT received_late'),
        postgresql_where=sa.text('NOT received_late'),
    )


def downgrade() -> None:
    op.execute("DELETE FROM submission WHERE received_late OR status IN ('late', 'declined')")
    op.drop_index('uq_submission_on_time_rank', table_name='submission')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_submission_submissionstatus'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_submission_submissionstatus'), _status_check(_OLD)
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_submission_call_id_person_id_rank'), ['call_id', 'person_id', 'rank']
        )
        batch_op.drop_column('received_late')
