"""What the statement-count tests share: the bench's generator and a counter of SQL sent."""

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.conftest import REPO_ROOT


def generator() -> Any:
    """bench/generate.py, which is a script and not a package."""
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent while the block runs."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
