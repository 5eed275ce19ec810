"""bench/due_steps.py leaves exactly the steps asked for due on a generated organisation.

The benchmark runner times advance-meetings with 1,000 steps due (issue 17 point 2); these
tests prepare a small generated organisation the same way, then run the real advance and
check that it did exactly the steps prepared, of the kinds counted, and nothing the next time.
"""

import importlib.util
from collections import Counter
from datetime import UTC, datetime
from types import ModuleType

import pytest
from sqlmodel import Session

from service.db import create_engine
from service.lifecycle import advance
from service.settings import Settings
from tests.conftest import REPO_ROOT

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _bench(name: str) -> ModuleType:
    """A script of bench/, which is not a package."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


due_steps = _bench("due_steps")


def test_choose_keeps_each_meeting_whose_steps_still_fit() -> None:
    counts = [(1, 4), (2, 0), (3, 7), (4, 3), (5, 2), (6, 1)]
    assert due_steps.choose(counts, 10) == {1: 4, 4: 3, 5: 2, 6: 1}
    assert due_steps.choose(counts, 3) == {4: 3}
    assert due_steps.choose(counts, 0) == {}


def _steps_due(url: str, settings: Settings) -> Counter[str]:
    """The steps a real advance run would do now, by kind (rolled back)."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            report = advance.advance(session, now=NOW, settings=settings)
            session.rollback()
    finally:
        engine.dispose()
    return Counter({k: v for k, v in report.counts().items() if v})


@pytest.mark.parametrize("beyond", [False, True], ids=["within", "beyond-generated"])
def test_exactly_the_steps_prepared_are_due_and_done_once(
    empty_database_url: str, beyond: bool
) -> None:
    _bench("generate").generate(empty_database_url, scale=1, seed=3, years=2, now=NOW, show=False)
    settings = Settings(database_url=empty_database_url, secret_key="test")
    generated = sum(_steps_due(empty_database_url, settings).values())
    assert generated > 20, "the generated organisation has steps due at its now"
    # Half of what was generated, or more than it: then meetings held long ago are set back.
    target = generated + 15 if beyond else generated // 2
    engine = create_engine(empty_database_url)
    try:
        prepared = due_steps.prepare(engine, now=NOW, settings=settings, target=target)
        assert prepared.due == target
        assert prepared.set_back == (15 if beyond else 0)
        assert sum(prepared.kinds.values()) == target
        assert prepared.caught_up_steps == (0 if beyond else generated - prepared.due)
        assert _steps_due(empty_database_url, settings) == prepared.kinds
        if beyond:
            assert prepared.kinds["held"] >= 15
        with Session(engine) as session:
            done = advance.advance(session, now=NOW, settings=settings)
            session.commit()
        assert sum(done.counts().values()) == target
        with Session(engine) as session:
            again = advance.advance(session, now=NOW, settings=settings)
        assert sum(again.counts().values()) == 0
    finally:
        engine.dispose()
