"""ids never reused: every integer-keyed SQLite table gets AUTOINCREMENT

Without it SQLite hands the id of a deleted newest row out again, and an outbox idempotency
key built from that id (sign-in:<id>) collides with the deleted row's message, which is then
never sent. PostgreSQL sequences never go back, so only SQLite tables are rebuilt.

Revision ID: 0103
Revises: 0102
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0103"
down_revision: str | None = '0102'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables_without_autoincrement(connection: sa.Connection) -> list[str]:
    inspector = sa.inspect(connection)
    found = []
    for name in inspector.get_table_names():
        if name == "alembic_version":
            continue
        key = inspector.get_pk_constraint(name)["constrained_columns"]
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        if len(key) != 1 or not isinstance(columns[key[0]]["type"], sa.Integer):
            continue
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar_one()
        if "AUTOINCREMENT" not in sql.upper():
            found.append(name)
    return found


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for name in _tables_without_autoincrement(connection):
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    # Ids that are never reused harm no earlier revision; the tables stay as they are.
    pass
