"""meeting_tally: the meetings held per programme and year, kept as meetings change, counted
once here; the deliverables' tally indexed by quarter of delivery, and the meetings held by
group (the overview's groups of a page)

Revision ID: 0120
Revises: 0119
Create Date: 2026-12-05 23:20:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0120"
down_revision: str | None = "0119"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_key", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_tally")),
    )
    op.create_index(
        "ix_meeting_tally_key",
        "meeting_tally",
        ["year", "group_key", "programme_key"],
        unique=False,
    )
    delivered = sa.text("delivered_quarter IS NOT NULL")
    op.create_index(
        "ix_deliverable_tally_delivered",
        "deliverable_tally",
        ["delivered_quarter"],
        unique=False,
        sqlite_where=delivered,
        postgresql_where=delivered,
    )
    held = sa.text("status = 'held'")
    op.create_index(
        "ix_meeting_held_group",
        "meeting",
        ["group_id", "starts_at"],
        unique=False,
        sqlite_where=held,
        postgresql_where=held,
    )
    # Counted a year at a time between the year's bounds in Brussels (as the code does).
    bind = op.get_bind()
    first, last = bind.execute(
        sa.text("SELECT min(starts_at), max(starts_at) FROM meeting WHERE status = 'held'")
    ).one()
    if first is None:
        return
    if isinstance(first, str):  # SQLite hands back text
        first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
    brussels = ZoneInfo("Europe/Brussels")
    for year in range(first.year - 1, last.year + 2):
        start = datetime(year, 1, 1, tzinfo=brussels).astimezone(UTC)
        end = datetime(year + 1, 1, 1, tzinfo=brussels).astimezone(UTC)
        bind.execute(
            sa.text(
                "INSERT INTO meeting_tally (programme_key, year, group_key, count)"
                " SELECT coalesce(g.programme_id, 0), :year,"
                " CASE WHEN g.status = 'closed' THEN g.id ELSE 0 END, count(*)"
                " FROM meeting m JOIN working_group g ON g.id = m.group_id"
                " WHERE m.status = 'held' AND m.starts_at >= :start AND m.starts_at < :end"
                " GROUP BY coalesce(g.programme_id, 0),"
                " CASE WHEN g.status = 'closed' THEN g.id ELSE 0 END"
            ).bindparams(
                # Bound as the meeting table's instants are (SQLite: its UTC text format).
                sa.bindparam("start", type_=sa.DateTime(timezone=True)),
                sa.bindparam("end", type_=sa.DateTime(timezone=True)),
            ),
            {"year": year, "start": start, "end": end},
        )


def downgrade() -> None:
    op.drop_index("ix_meeting_held_group", table_name="meeting")
    op.drop_index("ix_deliverable_tally_delivered", table_name="deliverable_tally")
    op.drop_index("ix_meeting_tally_key", table_name="meeting_tally")
    op.drop_table("meeting_tally")
