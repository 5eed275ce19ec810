"""Outbox idempotency keys are built from ids, so no id may ever be handed out twice.

The hunt reads every `outbox.queue(key=f"...")` in service/ and names the values a key is built
from; every id among them comes from a table whose ids the database never reuses (SQLite
AUTOINCREMENT, a PostgreSQL sequence), checked here on both backends.
"""

import ast
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from models.programmes import Programme
from tests.conftest import REPO_ROOT

# Parts of keys that are not row ids: counters and dates that only ever grow with the row
# they belong to (an agenda version's number, a reminder's stage, a digest's week).
NOT_IDS = {"deadline_key", "due.isoformat()", "stage", "stage.value", "version.number", "year"}
NOT_IDS |= {"week", "kind", "revision", "suffix"}
# The reminder by hand: a Brussels day, after a prefix made of the call's id (answers.py).
NOT_IDS |= {"today", "_key_prefix(call)"}
# The materials reminder: an agenda item's key, stable in its meeting (the key names the meeting).
NOT_IDS |= {"item.item_key"}


def _integer_keyed_tables() -> list[sa.Table]:
    return [
        table
        for table in SQLModel.metadata.sorted_tables
        if len(table.primary_key.columns) == 1
        and isinstance(next(iter(table.primary_key.columns)).type, sa.Integer)
    ]


def _key_parts(source: Path) -> list[str]:
    """The expressions interpolated into the idempotency keys queued in one file."""
    parts = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("outbox.queue")):
            continue
        for keyword in node.keywords:
            if keyword.arg == "key" and isinstance(keyword.value, ast.JoinedStr):
                parts += [
                    ast.unparse(value.value)
                    for value in keyword.value.values
                    if isinstance(value, ast.FormattedValue)
                ]
    return parts


def test_every_outbox_key_is_built_from_ids_or_values_that_never_repeat() -> None:
    found = {p for f in (REPO_ROOT / "service").rglob("*.py") for p in _key_parts(f)}
    assert "link.id" in found  # the hunt sees the sign-in key that collided
    ids = {p for p in found if p.endswith(".id") or p.endswith("_id")}
    assert found - ids <= NOT_IDS, f"a key built from something unchecked: {found - ids - NOT_IDS}"


def test_no_integer_key_is_ever_handed_out_again(engine: Engine) -> None:
    tables = _integer_keyed_tables()
    assert len(tables) > 20
    with engine.connect() as connection:
        for table in tables:
            if connection.dialect.name == "sqlite":
                sql = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (table.name,),
                ).scalar_one()
                assert "AUTOINCREMENT" in sql.upper(), table.name
            else:
                (column,) = table.primary_key.columns
                sequence = connection.execute(
                    sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                ).scalar_one()
                assert sequence is not None, table.name


def test_the_id_of_a_deleted_newest_row_is_not_reused(session: Session) -> None:
    def add(slug: str) -> Programme:
        row = Programme(slug=slug, name="Programma", first_year=2026)
        session.add(row)
        session.flush()
        return row

    first = add("eerste")
    first_id = first.id
    session.delete(first)
    session.flush()
    assert add("tweede").id != first_id
