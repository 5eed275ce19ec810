"""The marks of a delivery run: each message's outcome in its own commit, beside the sending.

A mark is one UPDATE, committed on its own, run by one worker thread in the order it was made,
while the event loop goes on with the next message's first SMTP commands: on PostgreSQL the
database's round trip then overlaps the mail server's instead of following it. The run awaits
`settle()` before the mail server may accept the next message (before its DATA), so at any
instant at most one accepted message is unmarked, as when each mark was made before the next
send: a crash still repeats at most that one (service/mail/delivery.py).

The statements are compiled once per run and executed on the driver's cursor: SQLAlchemy's
execution machinery cost some 150 µs per mark, more than the statement itself.
"""

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlmodel import col

from models.notifications import Notification, NotificationStatus

# Built once with bound parameters: constructing an UPDATE per message cost three times more.
_ID: sa.BindParameter[int] = sa.bindparam("notification_id")


def _marking(**values: Any) -> sa.Update:
    """An UPDATE of one claimed message: released, its attempts counted, and `values` set."""
    return (
        sa.update(Notification)
        .where(col(Notification.id) == _ID)
        .values(attempts=sa.bindparam("attempts"), claimed_by=None, **values)
    )


SENT = _marking(status=NotificationStatus.sent, sent_at=sa.bindparam("at"), last_error=None)
# A failure keeps its reason and when it may be tried again; the last one also marks it failed.
_TRIED_AGAIN: dict[str, sa.BindParameter[Any]] = {
    "last_error": sa.bindparam("reason"),
    "next_attempt_at": sa.bindparam("at"),
}
RETRY = _marking(**_TRIED_AGAIN)
FAILED = _marking(status=NotificationStatus.failed, **_TRIED_AGAIN)


class _Compiled:
    """A statement as the driver takes it: its SQL, and how to turn values into parameters."""

    def __init__(self, statement: sa.Update, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._order = compiled.positiontup if dialect.positional else None
        # The values written into the statement (the status, the released claim), and the
        # columns' own conversions (an aware instant to UTC text on SQLite, an enum to its
        # text), as SQLAlchemy would apply them.
        self._fixed: dict[str, Any] = {}
        self._convert: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            if not bind.required:
                self._fixed[name] = bind.value
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                self._convert[name] = convert

    def parameters(self, values: dict[str, Any]) -> dict[str, Any] | tuple[Any, ...]:
        """The driver's parameters for these values."""
        merged = {**self._fixed, **values}
        for name, convert in self._convert.items():
            merged[name] = convert(merged[name])
        if self._order is None:
            return merged
        return tuple(merged[name] for name in self._order)


Job = tuple[str, dict[str, Any] | tuple[Any, ...]]


class Marks:
    """Records outcomes in order, each in its own commit, on one connection.

    With `threaded` (PostgreSQL) a worker thread runs them, so the database's round trip
    overlaps the mail server's. Without (SQLite, where a mark is a local write with no round
    trip to hide and handing it to a thread cost more than the write), they wait for `write()`,
    which delivery calls once the next message's first command is on the wire.
    """

    def __init__(self, connection: sa.Connection, *, threaded: bool) -> None:
        self.connection = connection
        dialect = connection.dialect
        self._statements = {s: _Compiled(s, dialect) for s in (SENT, RETRY, FAILED)}
        self._driver: Any = connection.connection.dbapi_connection
        self._cursor: Any = None  # one for all marks: a new one per mark cost 30 µs
        self._worker = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-marks")
            if threaded
            else None
        )
        self._pending: deque[Future[None]] = deque()  # handed to the worker
        self._queued: deque[Job] = deque()  # waiting for write()

    def mark(self, statement: sa.Update, **values: object) -> None:
        """Have `statement` (SENT, RETRY or FAILED) committed for these values, after the others."""
        compiled = self._statements[statement]
        job = (compiled.sql, compiled.parameters(values))
        if self._worker is None:
            self._queued.append(job)
        else:
            self._pending.append(self._worker.submit(self._execute, *job))

    def _execute(self, sql: str, parameters: dict[str, Any] | tuple[Any, ...]) -> None:
        # One statement outside any transaction: the driver commits it on its own (SQLite's
        # connection has no implicit transactions, PostgreSQL's is in autocommit).
        if self._cursor is None:
            self._cursor = self._driver.cursor()
        self._cursor.execute(sql, parameters)

    def write(self) -> None:
        """Commit the marks that wait for this thread, in order (none when threaded)."""
        while self._queued:
            self._execute(*self._queued.popleft())

    async def settle(self) -> None:
        """Wait until every mark made so far is committed; raise the first one's error."""
        self.write()
        while self._pending:
            if not self._pending[0].done():  # usually it is: then no asyncio future is needed
                # Shielded: a cancelled wait (the message's timeout) must not cancel the mark.
                await asyncio.shield(asyncio.wrap_future(self._pending[0]))
            self._pending.popleft().result()

    def close(self) -> None:
        """Commit what is still waiting (even after an error), then stop the worker."""
        try:
            self.write()
            if self._worker is not None:
                self._worker.shutdown(wait=True)
            while self._pending:
                self._pending.popleft().result()
        finally:
            if self._cursor is not None:
                self._cursor.close()


@contextmanager
def opened(engine: Engine) -> Iterator[Marks]:
    """A run's marks, on a connection of their own.

    On PostgreSQL each mark is a single statement in autocommit: its own transaction in one
    round trip (BEGIN, UPDATE and COMMIT took three). And the marks do not wait for the WAL
    flush (it doubled their cost): the delivery process can still crash anywhere and repeat at
    most one message, since the server has every acknowledged commit. Only a crash of the
    database server itself could lose the last fraction of a second of marks, and those
    messages would be sent again, with the same Message-ID. The lease renewals go through the
    same connection and are flushed (leases.Lease.keep).
    """
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.exec_driver_sql("SET synchronous_commit TO off")
            connection.commit()
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        marks = Marks(connection, threaded=postgres)
        try:
            yield marks
        finally:
            marks.close()
            if postgres:
                connection.exec_driver_sql("RESET synchronous_commit")
