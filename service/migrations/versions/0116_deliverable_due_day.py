"""deliverable.due_day: the stored last day of the due period, with the indexes of the
directors' overview (group, due day, title; the roll-up; deliveries; due changes; groups by
short name; meetings held) and of the work queue (open deliverables by due day)

Revision ID: 0116
Revises: 0115
Create Date: 2026-12-05 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0116"
down_revision: str | None = "0115"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ONLY = "status NOT IN ('delivered', 'dropped')"
# Months in a period of each precision (models.dates.PERIOD_MONTHS when this was written).
MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def _months() -> str:
    cases = " ".join(f"WHEN '{name}' THEN {n}" for name, n in MONTHS.items())
    return f"CASE due_precision {cases} ELSE 0 END"


# (name, table, columns, partial condition or None): the overview's and the home page's.
INDEXES = (
    ("ix_deliverable_group_due", "deliverable", ["group_id", "due_day", "title", "id"], None),
    ("ix_deliverable_open_due", "deliverable", ["due_day"], OPEN_ONLY),
    (
        "ix_deliverable_roll_up",
        "deliverable",
        ["group_id", "status", "due_day", "delivered_on"],
        None,
    ),
    ("ix_deliverable_delivered_on", "deliverable", ["delivered_on"], "delivered_on IS NOT NULL"),
    (
        "ix_deliverable_change_field_changed_at",
        "deliverable_change",
        ["field", "changed_at"],
        None,
    ),
    ("ix_working_group_short_name", "working_group", ["short_name", "id"], None),
    ("ix_meeting_held", "meeting", ["starts_at", "group_id"], "status = 'held'"),
)


def upgrade() -> None:
    with op.batch_alter_table("deliverable") as batch:
        batch.add_column(sa.Column("due_day", sa.Date(), nullable=True))
    # The end of the period: the day itself, or the first of the month after it, less a day.
    if op.get_bind().dialect.name == "postgresql":
        end = (
            f"CAST(date_trunc('month', due_on) + make_interval(0, {_months()})"
            " - interval '1 day' AS DATE)"
        )
    else:
        end = f"date(due_on, 'start of month', '+' || ({_months()}) || ' months', '-1 day')"
    day = f"CASE WHEN due_precision = 'day' THEN due_on ELSE {end} END"
    op.execute(f"UPDATE deliverable SET due_day = {day}")
    for name, table, columns, where in INDEXES:
        if where is None:
            op.create_index(name, table, columns, unique=False)
        else:
            op.create_index(name, table, columns, unique=False, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("deliverable") as batch:
        batch.drop_column("due_day")
