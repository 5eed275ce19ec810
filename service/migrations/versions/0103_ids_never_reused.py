"""ids never reused: every integer-keyed SQLite table gets AUTOINCREMENT

Without it SQLite hands the id of a deleted newest row out again, and an outbox idempotency
key built from that id (sign-in:<id>) collides with the deleted row's message, which is then
never sent. PostgreSQL sequences never go back, so only SQLite tables are rebuilt.

Revision ID: 0103
Revises: 0102
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence


revision: str = "0103"
down_revision: str | None = '0102'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The rebuild itself runs in service/migrations/env.py after every upgrade, so that the
    # tables a later migration rebuilds get AUTOINCREMENT back too; this revision marks when
    # the rule came in.
    pass


def downgrade() -> None:
    # Ids that are never reused harm no earlier revision; the tables stay as they are.
    pass
