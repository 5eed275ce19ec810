"""replies: answers to invitations and the mailbox messages read for them

Revision ID: 0107
Revises: 0106
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = '0107'
down_revision: str | None = '0106'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reply_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('folder', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('imap_uid', sa.Integer(), nullable=False),
    sa.Column('received_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.Enum('recorded', 'unmatched', name='messageoutcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Enum('too_large', 'no_reply', 'malformed', 'no_attendee', 'unknown_meeting', 'unknown_person', 'not_invited', 'meeting_cancelled', 'meeting_started', 'day_changed', 'future_sequence', 'no_answer', name='unmatchedreason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_reply_message_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_message')),
    sa.UniqueConstraint('digest', name=op.f('uq_reply_message_digest'))
    )
    with op.batch_alter_table('reply_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_message_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Enum('accepted', 'tentative', 'declined', name='replyanswer', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('counts', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Enum('calendar', 'link', name='replysource', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('received_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_meeting_reply_sequence_positive')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_reply_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['message_id'], ['reply_message.id'], name=op.f('fk_meeting_reply_message_id_reply_message')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_meeting_reply_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_meeting_reply_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_reply'))
    )
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_reply_meeting_person', ['meeting_id', 'person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_reply_meeting_person')

    op.drop_table('meeting_reply')
    with op.batch_alter_table('reply_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_message_meeting_id'))

    op.drop_table('reply_message')
