"""materials on agenda items and in a group's library; agenda item presenters

Revision ID: 0114
Revises: 0108
Create Date: 2026-12-05 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0114'
down_revision: str | None = '0108'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('item_key', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Every material so far is on a meeting: its group is the meeting's.
    op.execute(
        "UPDATE material SET group_id ="
        " (SELECT meeting.group_id FROM meeting WHERE meeting.id = material.meeting_id)"
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.alter_column('group_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f('fk_material_group_id_working_group'), 'working_group', ['group_id'], ['id']
        )
        batch_op.create_index(batch_op.f('ix_material_group_id'), ['group_id'], unique=False)
        batch_op.create_check_constraint(
            'item_in_meeting', 'item_key IS NULL OR meeting_id IS NOT NULL'
        )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_agenda_item_presenter_id_person'), 'person', ['presenter_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_agenda_item_presenter_id_person'), type_='foreignkey'
        )
        batch_op.drop_column('presenter_id')
    op.execute("DELETE FROM material WHERE meeting_id IS NULL")
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_material_item_in_meeting'), type_='check')
        batch_op.drop_index(batch_op.f('ix_material_group_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_material_group_id_working_group'), type_='foreignkey'
        )
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('public')
        batch_op.drop_column('item_key')
        batch_op.drop_column('group_id')
