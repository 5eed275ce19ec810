"""A table of counts kept up to date from the ORM's flush: the directors' tallies' one mechanism.

A tally says which count a row belongs to (its key: the values of the table's key columns) as
the row is now and as the database still holds it; `Counts.keep` then adjusts the table on every
insert, update and delete of the model, in the same transaction, so no use case can forget it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# The key of a count: the values of the table's key columns, in their order.
Key = tuple[Any, ...]


def _is(column: sa.Column[Any], value: Any) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


@dataclass(frozen=True)
class Counts:
    """A table with an `id`, key columns and a `count`: one row per key that was ever counted."""

    table: sa.Table
    key_columns: tuple[str, ...]

    def add(self, connection: Connection, found: Key, delta: int) -> None:
        """Add `delta` to the count of a key: to its existing row, or in a new one."""
        values = dict(zip(self.key_columns, found, strict=True))
        same = [_is(self.table.c[name], value) for name, value in values.items()]
        first = connection.execute(sa.select(self.table.c.id).where(*same).limit(1)).scalar()
        if first is not None:
            connection.execute(
                sa.update(self.table)
                .where(self.table.c.id == first)
                .values(count=self.table.c.count + delta)
            )
            return
        connection.execute(sa.insert(self.table).values(**values, count=delta))

    def keep(
        self,
        model: type[Any],
        *,
        new_key: Callable[[Connection, Any], Key | None],
        stored_key: Callable[[Connection, int | None], Key | None],
    ) -> None:
        """Count every row of `model` as it is written: None for a row that is not counted.

        `stored_key` reads the row back as the database holds it before this flush writes it,
        rather than from the ORM's history, which does not know the old value of an attribute
        set on an expired object.
        """

        def inserted(_mapper: Any, connection: Connection, target: Any) -> None:
            self._move(connection, None, new_key(connection, target))

        def updating(_mapper: Any, connection: Connection, target: Any) -> None:
            old = stored_key(connection, target.id)
            self._move(connection, old, new_key(connection, target))

        def deleting(_mapper: Any, connection: Connection, target: Any) -> None:
            self._move(connection, stored_key(connection, target.id), None)

        sa.event.listen(model, "after_insert", inserted)
        sa.event.listen(model, "before_update", updating)
        sa.event.listen(model, "before_delete", deleting)

    def _move(self, connection: Connection, old: Key | None, new: Key | None) -> None:
        """A row that left the count of `old` for the count of `new` (None: no count)."""
        if old == new:
            return
        if old is not None:
            self.add(connection, old, -1)
        if new is not None:
            self.add(connection, new, 1)
