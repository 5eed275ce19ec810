"""question fate: outcomes written in the minutes, and resubmitted questions

Revision ID: 0112
Revises: 0113
Create Date: 2026-12-05 14:01:42.475572
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = '0112'
down_revision: str | None = '0113'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('question_fate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('waiting', 'on_agenda', 'answered', 'decision', 'deliverable', 'carried_over', 'not_handled', 'withdrawn', name='questionstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('deliverable_id', sa.Integer(), nullable=True),
    sa.Column('automatic', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('recorded_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status <> 'answered' OR note IS NOT NULL", name=op.f('ck_question_fate_answer_written')),
    sa.CheckConstraint("status <> 'deliverable' OR deliverable_id IS NOT NULL", name=op.f('ck_question_fate_deliverable_named')),
    sa.CheckConstraint("status NOT IN ('waiting', 'on_agenda')", name=op.f('ck_question_fate_recorded_statuses_only')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_question_fate_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['asker_id'], ['person.id'], name=op.f('fk_question_fate_asker_id_person')),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverable.id'], name=op.f('fk_question_fate_deliverable_id_deliverable')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_question_fate_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], name=op.f('fk_question_fate_recorded_by_id_person')),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_question_fate_submission_id_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_fate'))
    )
    with op.batch_alter_table('question_fate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_fate_asker_id'), ['asker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_fate_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_fate_submission_id'), ['submission_id'], unique=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resubmitted_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_submission_resubmitted_from_id_submission'), 'submission', ['resubmitted_from_id'], ['id'])




def downgrade() -> None:

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_submission_resubmitted_from_id_submission'), type_='foreignkey')
        batch_op.drop_column('resubmitted_from_id')

    with op.batch_alter_table('question_fate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_fate_submission_id'))
        batch_op.drop_index(batch_op.f('ix_question_fate_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_question_fate_asker_id'))

    op.drop_table('question_fate')

