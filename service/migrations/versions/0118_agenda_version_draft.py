"""index the drafts (agenda version 0) for the work queue's drafts never published

Revision ID: 0118
Revises: 0117
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0118'
down_revision: str | None = '0117'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_agenda_version_draft', 'agenda_version', ['meeting_id'], unique=False, sqlite_where=sa.text('number = 0'), postgresql_where=sa.text('number = 0'))


def downgrade() -> None:
    op.drop_index('ix_agenda_version_draft', table_name='agenda_version')
